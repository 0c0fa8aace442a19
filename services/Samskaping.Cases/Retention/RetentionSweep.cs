using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Contracts.Cases;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Retention;

/// <summary>
/// Finds closed cases whose retention period (<see cref="RetentionOptions.ClosedCaseYears"/>) ran out and that are under
/// no legal hold, and orders each one's anonymisation (<see cref="AnonymisationStore.Order"/>, one transaction per
/// case). It keeps no state of its own: a restart, or two replicas scanning at once, find what is still not ordered,
/// and the order's primary key lets a case be ordered once. Runs on the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class RetentionSweep(
    NpgsqlDataSource dataSource, AnonymisationStore store, TimeProvider clock, IOptions<RetentionOptions> options, ILogger<RetentionSweep> logger)
    : BackgroundService
{
    public const string OrderedBy = "retention";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodically.Run(options.Value.SweepInterval, clock, RunOnce, e => LogSweepFailed(logger, e), stoppingToken);

    /// <summary>One scan. Returns the cases it anonymised.</summary>
    public async Task<IReadOnlyList<Guid>> RunOnce(CancellationToken ct)
    {
        var years = options.Value.ClosedCaseYears;
        var closedBefore = clock.Now().AddYears(-years);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var due = (await connection.QueryAsync<Guid>(new CommandDefinition(
            """
            SELECT c.id FROM cases.cases c
            WHERE c.status = 'closed' AND c.anonymised_at IS NULL AND coalesce(c.status_changed_at, c.opened_at) < @closedBefore
              AND NOT EXISTS (SELECT 1 FROM cases.legal_holds h WHERE h.case_id = c.id AND h.lifted_at IS NULL)
              AND NOT EXISTS (SELECT 1 FROM cases.anonymisation_orders o WHERE o.case_id = c.id)
            ORDER BY c.status_changed_at, c.id
            LIMIT @limit
            """, new { closedBefore, limit = options.Value.BatchSize }, cancellationToken: ct))).AsList();
        var done = new List<Guid>();
        var reason = $"Closed longer than the retention period of {years} years and under no legal hold.";
        foreach (var caseId in due)
        {
            if (await store.Order(caseId, AnonymisationGrounds.RetentionExpired, reason, OrderedBy, null, connection, ct) is not null)
            {
                done.Add(caseId);
            }
        }
        if (done.Count > 0)
        {
            LogSwept(logger, done.Count, years);
        }
        return done;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} closed cases past the retention period of {Years} years were anonymised")]
    private static partial void LogSwept(ILogger logger, int count, int years);

    [LoggerMessage(Level = LogLevel.Error, Message = "The retention sweep failed; it runs again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
