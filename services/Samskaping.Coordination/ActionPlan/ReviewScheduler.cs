using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Contracts.Coordination;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.ActionPlan;

/// <summary>
/// Finds measures whose review date passed without an evaluation, flags them overdue and publishes
/// <see cref="ReviewOverdue"/> — once per measure and due date, held by the primary key of
/// <c>coordination.overdue_reviews</c>, so replicas scanning at the same moment never publish twice.
/// Runs on the injected <see cref="TimeProvider"/>, so tests drive it with a fake clock.
/// </summary>
public sealed partial class ReviewScheduler(
    NpgsqlDataSource dataSource, OutboxWriter outbox, TimeProvider clock, IOptions<CoordinationOptions> options, ILogger<ReviewScheduler> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodically.Run(options.Value.ReviewScanInterval, clock, RunOnce, e => LogScanFailed(logger, e), stoppingToken);

    /// <summary>One scan. Returns how many reviews it found overdue now (each published once).</summary>
    public async Task<int> RunOnce(CancellationToken ct)
    {
        var now = clock.Now();
        var today = ActionPlanRules.Today(clock);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var found = (await connection.QueryAsync<(Guid MeasureId, Guid CaseId, DateOnly DueOn, string ResponsibleSector)>(new CommandDefinition(
            """
            INSERT INTO coordination.overdue_reviews (measure_id, due_on, case_id, responsible_sector, detected_at)
            SELECT m.id, m.next_review_on, m.case_id, m.responsible_sector, @now
            FROM coordination.measures m JOIN coordination.groups g ON g.case_id = m.case_id
            WHERE m.completed_at IS NULL AND g.closed_at IS NULL AND m.next_review_on < @today
            ON CONFLICT (measure_id, due_on) DO NOTHING
            RETURNING measure_id, case_id, due_on, responsible_sector
            """, new { now, today }, tx, cancellationToken: ct))).AsList();
        foreach (var review in found)
        {
            await outbox.Enqueue(new ReviewOverdue(review.CaseId, review.MeasureId, review.ResponsibleSector, review.DueOn, now), tx, ct);
        }
        await tx.CommitAsync(ct);
        if (found.Count > 0)
        {
            LogOverdue(logger, found.Count);
        }
        return found.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} measure reviews found overdue")]
    private static partial void LogOverdue(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The overdue review scan failed; it runs again at the next interval")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);
}
