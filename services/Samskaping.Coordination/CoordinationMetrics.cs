using System.Diagnostics.Metrics;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Coordination.ActionPlan;
using Samskaping.Messaging.Metrics;

namespace Samskaping.Coordination;

/// <summary>
/// The coordination meter (<c>Samskaping.Coordination</c>): measure reviews overdue and lead handovers waiting for an
/// answer, read from the database, by sector — never a case, a coordinator or a person.
/// </summary>
public sealed class CoordinationMetrics
{
    public const string MeterName = "Samskaping.Coordination";

    public CoordinationMetrics(IMeterFactory meters, NpgsqlDataSource dataSource, IOptions<MetricsOptions> options, TimeProvider clock, ILogger<CoordinationMetrics> logger)
    {
        var meter = meters.Create(MeterName);
        var work = new CachedReading<SectorCount[]>(() => ReadWork(dataSource, ActionPlanRules.Today(clock)), options.Value, clock, logger, "the overdue reviews and waiting handovers");
        meter.CreateObservableGauge("samskaping.coordination.reviews.overdue", () => Counts(work.Current(), "review"),
            "{review}", "Measures of open cases whose review date has passed without an evaluation, by responsible sector.");
        meter.CreateObservableGauge("samskaping.coordination.handovers.waiting", () => Counts(work.Current(), "handover"),
            "{handover}", "Lead-coordinator handovers requested and not yet answered, by the receiving sector.");
    }

    private static IEnumerable<Measurement<long>> Counts(SectorCount[]? counts, string kind) =>
        (counts ?? []).Where(c => c.Kind == kind).Select(c => new Measurement<long>(c.Count, new KeyValuePair<string, object?>("sector", c.Sector)));

    private static SectorCount[] ReadWork(NpgsqlDataSource dataSource, DateOnly today)
    {
        using var connection = dataSource.OpenConnection();
        // The same condition the review scheduler uses, on the index of open measures; handovers on the index of open ones.
        return [.. connection.Query<SectorCount>(
            """
            SELECT 'review' AS Kind, m.responsible_sector AS Sector, count(*) AS Count
            FROM coordination.measures m JOIN coordination.groups g ON g.case_id = m.case_id
            WHERE m.completed_at IS NULL AND g.closed_at IS NULL AND m.next_review_on < @today
            GROUP BY m.responsible_sector
            UNION ALL
            SELECT 'handover', to_sector, count(*) FROM coordination.handovers WHERE status = 'requested' GROUP BY to_sector
            """, new { today }, commandTimeout: 5)];
    }

    private sealed record SectorCount(string Kind, string Sector, long Count);
}
