using System.Diagnostics.Metrics;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Contracts;
using Samskaping.Contracts.Cases;
using Samskaping.Messaging.Metrics;

namespace Samskaping.Cases;

/// <summary>
/// The cases meter (<c>Samskaping.Cases</c>): cases opened and closed as they commit, by sector, and the cases in
/// each status read from the database. Labels are sectors and statuses — never a case, a household or a person.
/// </summary>
public sealed class CasesMetrics
{
    public const string MeterName = "Samskaping.Cases";

    private readonly Counter<long> _opened;
    private readonly Counter<long> _closed;

    public CasesMetrics(IMeterFactory meters, NpgsqlDataSource dataSource, IOptions<MetricsOptions> options, TimeProvider clock, ILogger<CasesMetrics> logger)
    {
        var meter = meters.Create(MeterName);
        _opened = meter.CreateCounter<long>("samskaping.cases.opened", "{case}", "Cases opened, by the sector that opened (and leads) them.");
        _closed = meter.CreateCounter<long>("samskaping.cases.closed", "{case}", "Cases closed, by the sector of the worker who closed them.");
        var byStatus = new CachedReading<StatusCount[]>(() => ReadStatuses(dataSource), options.Value, clock, logger, "the cases by status");
        meter.CreateObservableGauge("samskaping.cases.by_status",
            () => (byStatus.Current() ?? []).Select(s => new Measurement<long>(s.Cases, new KeyValuePair<string, object?>("status", s.Status))),
            "{case}", "Cases in each status (referred, intake, active, closing, closed).");
    }

    public void Opened(string sector) => _opened.Add(1, Sector(sector));

    public void Closed(string sector) => _closed.Add(1, Sector(sector));

    // A token's sector claim is the caller's word: a label takes only the known sectors, so no text of the caller's
    // reaches a metric and the series stay few.
    private static KeyValuePair<string, object?> Sector(string sector) => new("sector", Sectors.IsKnown(sector) ? sector : "other");

    private static StatusCount[] ReadStatuses(NpgsqlDataSource dataSource)
    {
        using var connection = dataSource.OpenConnection();
        // Every status, 0 included: a series that vanishes when its last case moves on reads as "unknown", not as none.
        return [.. connection.Query<StatusCount>(
            """
            SELECT s.status AS Status, count(c.id) AS Cases
            FROM unnest(@statuses) AS s (status) LEFT JOIN cases.cases c ON c.status = s.status
            GROUP BY s.status
            """, new { statuses = CaseStatuses.All.ToArray() }, commandTimeout: 5)];
    }

    private sealed record StatusCount(string Status, long Cases);
}
