using Dapper;
using Npgsql;
using Samskaping.Contracts.Outcomes;
using Samskaping.ServiceDefaults;

namespace Samskaping.Outcomes.Schedules;

/// <param name="SchedulePoint">Where it lies in the case's schedule (baseline 0, a follow-up its month, closing last): the order of "latest".</param>
/// <param name="CompletedAt">When the last member of the household (as outcomes knew it then) answered it.</param>
public sealed record Measurement(Guid Id, Guid CaseId, string Kind, int? OffsetMonths, int SchedulePoint, DateTimeOffset DueAt, DateTimeOffset ScheduledAt,
    DateTimeOffset? CompletedAt, DateTimeOffset? CancelledAt)
{
    public string Status(DateTimeOffset now) =>
        CompletedAt is not null ? "completed" : CancelledAt is not null ? "cancelled" : DueAt < now ? "overdue" : "due";

    /// <summary>
    /// From when it may be answered. A follow-up measures the family some months on, so it opens
    /// <paramref name="followUpOpensBefore"/> before it is due, not on the day the help starts; the baseline and the
    /// closing measurement open when they are scheduled (at activation and at closing).
    /// </summary>
    public DateTimeOffset OpensAt(TimeSpan followUpOpensBefore) =>
        Kind == MeasurementKinds.FollowUp ? DueAt - followUpOpensBefore : ScheduledAt;
}

public sealed record OverdueMeasurement(Guid MeasurementId, Guid CaseId, string Kind, DateTimeOffset DueAt, int DaysOverdue);

public sealed class ScheduleStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Columns = """
        id, case_id AS CaseId, kind, offset_months AS OffsetMonths, schedule_point AS SchedulePoint, due_at AS DueAt, scheduled_at AS ScheduledAt,
        completed_at AS CompletedAt, cancelled_at AS CancelledAt
        """;

    /// <summary>Schedules a measurement; the unique indexes keep one baseline, one closing and one follow-up per offset.</summary>
    public Task Schedule(Guid caseId, string kind, int? offsetMonths, DateTimeOffset dueAt, NpgsqlTransaction tx, CancellationToken ct)
    {
        var now = clock.Now();
        return tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outcomes.measurements (id, case_id, kind, offset_months, due_at, scheduled_at)
            VALUES (@id, @caseId, @kind, @offsetMonths, @dueAt, @now)
            ON CONFLICT DO NOTHING
            """, new { id = Guid.CreateVersion7(now), caseId, kind, offsetMonths, dueAt, now }, tx, cancellationToken: ct));
    }

    /// <summary>
    /// Follow-ups that fall while the case is closed are not taken (the closing measurement replaces them), and come
    /// back when a reopen puts them in an open period again. Decided from the whole lifecycle history
    /// (<see cref="CaseFacts.CaseFactStore.LifecycleChanged"/>), so the order the events arrived in does not matter;
    /// cancelled_at is the closing they fell after.
    /// </summary>
    public static Task FollowLifecycle(Guid caseId, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outcomes.measurements m SET cancelled_at = state.closed_since
            FROM (SELECT f.id, (SELECT CASE WHEN l.closed THEN l.changed_at END FROM outcomes.case_lifecycle l
                                WHERE l.case_id = f.case_id AND l.changed_at < f.due_at ORDER BY l.changed_at DESC LIMIT 1) AS closed_since
                  FROM outcomes.measurements f
                  WHERE f.case_id = @caseId AND f.kind = 'follow-up' AND f.completed_at IS NULL) state
            WHERE m.id = state.id AND m.cancelled_at IS DISTINCT FROM state.closed_since
            """, new { caseId }, tx, cancellationToken: ct));

    public static async Task<IReadOnlyList<Measurement>> ForCase(Guid caseId, NpgsqlConnection connection, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<MeasurementRow>(new CommandDefinition(
            $"SELECT {Columns} FROM outcomes.measurements WHERE case_id = @caseId ORDER BY due_at, id", new { caseId }, cancellationToken: ct));
        return [.. rows.Select(r => r.ToMeasurement())];
    }

    public static async Task<Measurement?> Find(Guid caseId, Guid measurementId, NpgsqlConnection connection, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<MeasurementRow>(new CommandDefinition(
            $"SELECT {Columns} FROM outcomes.measurements WHERE case_id = @caseId AND id = @measurementId",
            new { caseId, measurementId }, cancellationToken: ct));
        return row?.ToMeasurement();
    }

    /// <summary>
    /// Marks up to <paramref name="batch"/> measurements that have become due as announced and enqueues their
    /// <see cref="MeasurementDue"/> in the same transaction. The conditional update is the exactly-once guard:
    /// two schedulers never announce the same measurement.
    /// </summary>
    public async Task<int> AnnounceDue(Messaging.Outbox.OutboxWriter outbox, int batch, CancellationToken ct)
    {
        var now = clock.Now();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var due = (await connection.QueryAsync<(Guid Id, Guid CaseId, string Kind, DateTime DueAt)>(new CommandDefinition(
            """
            UPDATE outcomes.measurements SET due_announced_at = @now
            WHERE id IN (SELECT id FROM outcomes.measurements
                         WHERE due_at <= @now AND due_announced_at IS NULL AND cancelled_at IS NULL AND completed_at IS NULL
                         ORDER BY due_at LIMIT @batch FOR UPDATE SKIP LOCKED)
              AND due_announced_at IS NULL
            RETURNING id, case_id, kind, due_at
            """, new { now, batch }, tx, cancellationToken: ct))).AsList();
        foreach (var m in due)
        {
            await outbox.Enqueue(new MeasurementDue(m.CaseId, m.Id, m.Kind, DateOnly.FromDateTime(m.DueAt), now), tx, ct);
        }
        await tx.CommitAsync(ct);
        return due.Count;
    }

    /// <summary>Open measurements past their due date in cases the user may see, where <paramref name="sector"/> takes part.</summary>
    public async Task<IReadOnlyList<OverdueMeasurement>> Overdue(string sector, CurrentUser user, Samskaping.Access.CaseAccess access, NpgsqlConnection connection, CancellationToken ct)
    {
        var now = clock.Now();
        var rows = await connection.QueryAsync<(Guid Id, Guid CaseId, string Kind, DateTime DueAt)>(new CommandDefinition(
            $"""
            SELECT m.id, m.case_id, m.kind, m.due_at
            FROM outcomes.measurements m
            WHERE m.due_at < @now AND m.completed_at IS NULL AND m.cancelled_at IS NULL
              AND EXISTS (SELECT 1 FROM access.case_sectors s WHERE s.case_id = m.case_id AND s.sector = @sector AND s.participating)
              AND {Samskaping.Access.CaseAccess.VisiblePredicate("m.case_id")}
            ORDER BY m.due_at, m.id
            LIMIT 1000
            """, access.Parameters(user, new { now, sector }), cancellationToken: ct));
        return [.. rows.Select(r => new OverdueMeasurement(r.Id, r.CaseId, r.Kind, r.DueAt.AsUtc(), (int)(now - r.DueAt.AsUtc()).TotalDays))];
    }

    private sealed record MeasurementRow(Guid Id, Guid CaseId, string Kind, int? OffsetMonths, int SchedulePoint, DateTime DueAt, DateTime ScheduledAt, DateTime? CompletedAt, DateTime? CancelledAt)
    {
        public Measurement ToMeasurement() => new(Id, CaseId, Kind, OffsetMonths, SchedulePoint, DueAt.AsUtc(), ScheduledAt.AsUtc(),
            CompletedAt is { } c ? c.AsUtc() : null, CancelledAt is { } x ? x.AsUtc() : null);
    }
}
