using System.Diagnostics.Metrics;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Messaging.Metrics;

namespace Samskaping.Benefits;

/// <summary>
/// The benefits meter (<c>Samskaping.Benefits</c>): the Digisos status feeds by delivery state and the age of the
/// oldest in each, read from the database, and inbound notifications by outcome as they commit. Labels are states and
/// outcomes only — never a case, a Digisos id or a person.
/// </summary>
public sealed class BenefitsMetrics
{
    public const string MeterName = "Samskaping.Benefits";

    private readonly Counter<long> _inbound;

    public BenefitsMetrics(IMeterFactory meters, NpgsqlDataSource dataSource, IOptions<MetricsOptions> options, TimeProvider clock, ILogger<BenefitsMetrics> logger)
    {
        var meter = meters.Create(MeterName);
        _inbound = meter.CreateCounter<long>("samskaping.benefits.inbound.notifications", "{notification}",
            "Inbound notifications from the benefit system, by outcome (delivered, no-matching-person, replay, conflict).");
        var feeds = new CachedReading<FeedState[]>(() => ReadFeeds(dataSource), options.Value, clock, logger, "the Digisos feeds by state");
        meter.CreateObservableGauge("samskaping.benefits.digisos.feeds",
            () => (feeds.Current() ?? []).Select(f => new Measurement<long>(f.Feeds, State(f.State))),
            "{feed}", "Digisos status feeds by delivery state (pending, waiting-for-applicant, delivered, invalid, refused).");
        meter.CreateObservableGauge("samskaping.benefits.digisos.oldest_change.age",
            () => (feeds.Current() ?? []).Select(f => new Measurement<double>(f.OldestSeconds, State(f.State))),
            "s", "Per delivery state, how long ago the feed changed longest ago: in pending, how long the oldest change has waited to be delivered.");
    }

    public void Inbound(string outcome) => _inbound.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    private static KeyValuePair<string, object?> State(string state) => new("state", state);

    private static FeedState[] ReadFeeds(NpgsqlDataSource dataSource)
    {
        using var connection = dataSource.OpenConnection();
        return [.. connection.Query<FeedState>(
            """
            SELECT state AS State, count(*) AS Feeds, EXTRACT(EPOCH FROM now() - min(changed_at))::float8 AS OldestSeconds
            FROM benefits.feeds GROUP BY state
            """, commandTimeout: 5)];
    }

    private sealed record FeedState(string State, long Feeds, double OldestSeconds);
}
