using Samskaping.ServiceDefaults;
using Dapper;
using Npgsql;

namespace Samskaping.Outcomes.Schedules;

public sealed record Measurement(Guid Id, string Kind, DateTimeOffset DueAt, DateTimeOffset ScheduledAt, DateTimeOffset? CompletedAt)
{
    public string Status(DateTimeOffset now) => CompletedAt is not null ? "completed" : DueAt < now ? "overdue" : "due";
}

public sealed class ScheduleStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public Task ScheduleBaseline(Guid caseId, DateTimeOffset dueAt, NpgsqlTransaction tx, CancellationToken ct)
    {
        var now = clock.Now();
        return tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outcomes.measurements (id, case_id, kind, due_at, scheduled_at)
            VALUES (@id, @caseId, 'baseline', @dueAt, @now)
            ON CONFLICT DO NOTHING
            """, new { id = Guid.CreateVersion7(now), caseId, dueAt, now }, tx, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Measurement>> ForCase(Guid caseId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<MeasurementRow>(new CommandDefinition(
            """
            SELECT id, kind, due_at AS DueAt, scheduled_at AS ScheduledAt, completed_at AS CompletedAt
            FROM outcomes.measurements WHERE case_id = @caseId ORDER BY due_at, id
            """, new { caseId }, cancellationToken: ct));
        return [.. rows.Select(r => new Measurement(r.Id, r.Kind, r.DueAt.AsUtc(), r.ScheduledAt.AsUtc(), r.CompletedAt is { } c ? c.AsUtc() : null))];
    }

    private sealed record MeasurementRow(Guid Id, string Kind, DateTime DueAt, DateTime ScheduledAt, DateTime? CompletedAt);
}
