using Dapper;
using Npgsql;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Timeline;

public sealed record TimelineEntryDto(Guid Id, string Kind, string Summary, string Source, DateTimeOffset OccurredAt);

public sealed record TimelinePage(IReadOnlyList<TimelineEntryDto> Items, string? NextCursor);

/// <summary>The case timeline: written in the transaction of a change or of a consumed event, read newest first.</summary>
public static class TimelineStore
{
    /// <summary>Adds the entry unless its event is on the timeline already.</summary>
    public static Task Write(TimelineEntry entry, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cases.timeline (id, case_id, event_id, kind, summary, source, occurred_at)
            VALUES (@id, @CaseId, @EventId, @Kind, @Summary, @Source, @OccurredAt)
            ON CONFLICT (event_id) DO NOTHING
            """,
            new { id = Guid.CreateVersion7(entry.OccurredAt), entry.CaseId, entry.EventId, entry.Kind, entry.Summary, entry.Source, entry.OccurredAt },
            tx, cancellationToken: ct));

    /// <summary>A page of the case's timeline, on the request's connection.</summary>
    public static async Task<TimelinePage> Page(Guid caseId, Cursor? after, int limit, NpgsqlConnection connection, CancellationToken ct)
    {
        var parameters = new DynamicParameters(new { caseId, take = limit + 1 });
        parameters.Add("afterAt", after?.At, System.Data.DbType.DateTimeOffset);
        parameters.Add("afterId", after?.Id, System.Data.DbType.Guid);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT id, kind, summary, source, occurred_at AS OccurredAt FROM cases.timeline
            WHERE case_id = @caseId AND (@afterAt IS NULL OR (occurred_at, id) < (@afterAt, @afterId))
            ORDER BY occurred_at DESC, id DESC
            LIMIT @take
            """, parameters, cancellationToken: ct))).AsList();
        var items = rows.Take(limit).Select(r => new TimelineEntryDto(r.Id, r.Kind, r.Summary, r.Source, r.OccurredAt.AsUtc())).ToList();
        var next = rows.Count > limit ? new Cursor(items[^1].OccurredAt, items[^1].Id).Encode() : null;
        return new TimelinePage(items, next);
    }

    private sealed record Row(Guid Id, string Kind, string Summary, string Source, DateTime OccurredAt);
}
