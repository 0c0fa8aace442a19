using System.Diagnostics.Metrics;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Messaging.Metrics;

namespace Samskaping.Grants;

/// <summary>
/// The grants meter (<c>Samskaping.Grants</c>): grant decisions counted as they commit, and each fund's ledger
/// accounts read from the database. Labels are fund ids, account kinds and nothing else — never a case or a person.
/// </summary>
public sealed class GrantsMetrics
{
    public const string MeterName = "Samskaping.Grants";

    private readonly Counter<long> _requested;
    private readonly Counter<long> _approved;
    private readonly Counter<long> _declined;

    public GrantsMetrics(IMeterFactory meters, NpgsqlDataSource dataSource, IOptions<MetricsOptions> options, TimeProvider clock, ILogger<GrantsMetrics> logger)
    {
        var meter = meters.Create(MeterName);
        _requested = meter.CreateCounter<long>("samskaping.grants.requested", "{grant}", "Grants requested, by fund.");
        _approved = meter.CreateCounter<long>("samskaping.grants.approved", "{grant}", "Grants approved (their amount reserved), by fund.");
        _declined = meter.CreateCounter<long>("samskaping.grants.declined", "{grant}", "Grants declined, by fund.");

        var funds = new CachedReading<FundAccount[]>(() => ReadFunds(dataSource), options.Value, clock, logger, "the funds' accounts");
        meter.CreateObservableGauge("samskaping.grants.fund.balance", () => Balances(funds.Current()), "{NOK}",
            "Each fund's ledger accounts in NOK: available (what is left to grant), reserved (approved, not yet paid) and paid.");
        meter.CreateObservableGauge("samskaping.grants.fund.low_balance_threshold", () => Thresholds(funds.Current()), "{NOK}",
            "Each fund's low-balance threshold in NOK: an available balance below it is announced (FundLow) and alerted on.");
    }

    public void Requested(Guid fundId) => _requested.Add(1, Fund(fundId));

    public void Approved(Guid fundId) => _approved.Add(1, Fund(fundId));

    public void Declined(Guid fundId) => _declined.Add(1, Fund(fundId));

    private static KeyValuePair<string, object?> Fund(Guid fundId) => new("fund", fundId.ToString());

    private static IEnumerable<Measurement<double>> Balances(FundAccount[]? accounts) =>
        (accounts ?? []).Where(a => a.Kind != "threshold")
            .Select(a => new Measurement<double>((double)a.Amount, Fund(a.FundId), new("account", a.Kind)));

    private static IEnumerable<Measurement<double>> Thresholds(FundAccount[]? accounts) =>
        (accounts ?? []).Where(a => a.Kind == "threshold").Select(a => new Measurement<double>((double)a.Amount, Fund(a.FundId)));

    private static FundAccount[] ReadFunds(NpgsqlDataSource dataSource)
    {
        using var connection = dataSource.OpenConnection();
        return [.. connection.Query<FundAccount>(
            """
            SELECT fund_id AS FundId, kind AS Kind, balance AS Amount FROM grants.account_balances WHERE kind IN ('available', 'reserved', 'paid')
            UNION ALL
            SELECT id, 'threshold', low_balance_threshold FROM grants.funds
            """, commandTimeout: 5)];
    }

    private sealed record FundAccount(Guid FundId, string Kind, decimal Amount);
}
