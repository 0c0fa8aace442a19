using System.Text.RegularExpressions;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Operations;

/// <summary>
/// The alert rules and the dashboard shipped with the chart speak of the metrics the services really declare, and
/// the dashboard shows every one of them.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed partial class MetricNamesTests(SystemFixture system)
{
    [Fact]
    public void The_alerts_and_the_dashboard_name_only_metrics_the_services_export_and_the_dashboard_shows_them_all()
    {
        var exported = SystemFixture.ServiceNames.SelectMany(s => MetricNames.Exported(system.Services(s))).ToHashSet(StringComparer.Ordinal);
        exported.ShouldContain("samskaping_cases_opened_total");
        exported.ShouldContain("samskaping_outbox_lag_seconds");
        var files = new Dictionary<string, string>
        {
            ["alert-rules.yaml"] = File.ReadAllText(Path.Combine(TestEnvironment.Root, "charts", "samskaping", "files", "alert-rules.yaml")),
            ["dashboard.json"] = File.ReadAllText(Path.Combine(TestEnvironment.Root, "charts", "samskaping", "files", "dashboard.json")),
        };

        foreach (var (file, text) in files)
        {
            var used = Used(text);
            used.ShouldNotBeEmpty();
            used.Where(n => !exported.Contains(n)).ShouldBeEmpty($"{file} names metrics no service exports (exported: {string.Join(", ", exported.Order())})");
        }
        exported.Where(n => !Used(files["dashboard.json"]).Contains(n)).ShouldBeEmpty("metrics the dashboard does not show");
    }

    /// <summary>Our metric names in a file; a histogram's series (_bucket, _sum, _count) by the histogram's name.</summary>
    private static HashSet<string> Used(string text) =>
        [.. OurMetric().Matches(text).Select(m => HistogramSeries().Replace(m.Value, ""))];

    [GeneratedRegex(@"\bsamskaping_[a-z0-9_]+")]
    private static partial Regex OurMetric();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSeries();
}
