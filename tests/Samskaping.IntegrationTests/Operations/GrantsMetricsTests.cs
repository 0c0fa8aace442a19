using System.Net;
using System.Text.RegularExpressions;
using Samskaping.IntegrationTests.Grants;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Operations;

/// <summary>The grants meter's instruments, recorded while a caseworker requests, approves and declines through the API.</summary>
[Collection(GrantsCollection.Name)]
public sealed class GrantsMetricsTests(GrantsFixture grants)
{
    [Fact]
    public async Task Grant_decisions_are_counted_per_fund_once_and_the_fund_balances_follow_the_ledger()
    {
        using var measured = new ServiceMeasurements(grants.Services);
        var fundId = (await grants.CreateFund(budget: 10_000m, threshold: 5_000m, lowBalance: 9_000m)).GetProperty("id").GetGuid();
        var fund = ("fund", fundId.ToString());
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari-metrics");
        var approvedId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fundId, 2_000m))).GetProperty("id").GetGuid();
        var declinedId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fundId, 500m))).GetProperty("id").GetGuid();

        var key = Guid.NewGuid().ToString();
        (await GrantsFixture.Post(kari, $"/api/grants/grants/{approvedId}/approve", null, key)).StatusCode.ShouldBe(HttpStatusCode.OK);
        // The same request again is answered from the stored answer: one approval, counted once.
        (await GrantsFixture.Post(kari, $"/api/grants/grants/{approvedId}/approve", null, key)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var approver = grants.Client("oppvekst", "grant-approver", "per-metrics");
        (await approver.PostAsync($"/api/grants/grants/{declinedId}/decline",
            System.Net.Http.Json.JsonContent.Create(new { reason = "Dekkes av skolen." }))).StatusCode.ShouldBe(HttpStatusCode.OK);

        measured.Sum("samskaping.grants.requested", fund).ShouldBe(2);
        measured.Sum("samskaping.grants.approved", fund).ShouldBe(1);
        measured.Sum("samskaping.grants.declined", fund).ShouldBe(1);
        measured.Gauge("samskaping.grants.fund.balance", fund, ("account", "available")).ShouldBe(8_000);
        measured.Gauge("samskaping.grants.fund.balance", fund, ("account", "reserved")).ShouldBe(2_000);
        measured.Gauge("samskaping.grants.fund.balance", fund, ("account", "paid")).ShouldBe(0);
        measured.Gauge("samskaping.grants.fund.low_balance_threshold", fund).ShouldBe(9_000);
        measured.ShouldCarryNoPersonalData();
    }

    [Fact]
    public async Task Prometheus_scrapes_the_same_numbers_under_the_names_the_alerts_and_dashboard_use()
    {
        var fundId = (await grants.CreateFund(budget: 3_000m, lowBalance: 2_500m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari-scrape");
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fundId, 1_000m))).GetProperty("id").GetGuid();
        (await GrantsFixture.Post(kari, $"/api/grants/grants/{grantId}/approve", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var declinedId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fundId, 100m))).GetProperty("id").GetGuid();
        (await kari.PostAsync($"/api/grants/grants/{declinedId}/decline",
            System.Net.Http.Json.JsonContent.Create(new { reason = "Dekkes av skolen." }))).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var prometheus = grants.Client("oppvekst", "caseworker");
        prometheus.DefaultRequestHeaders.Authorization = null;
        var text = "";
        await Eventually.True(async () =>
        {
            text = await prometheus.GetStringAsync("/metrics");
            return Sample(text, "samskaping_grants_approved_total", fundId) == 1 && Sample(text, "samskaping_grants_fund_balance", fundId, "available") == 2_000
                && Sample(text, "samskaping_grants_declined_total", fundId) == 1;
        }, TimeSpan.FromSeconds(10), "the approval and the fund's balance in the scrape");
        Sample(text, "samskaping_grants_requested_total", fundId).ShouldBe(2);
        Sample(text, "samskaping_grants_fund_balance", fundId, "reserved").ShouldBe(1_000);
        Sample(text, "samskaping_grants_fund_low_balance_threshold", fundId).ShouldBe(2_500);
        // The names the rules and the dashboard were written against (MetricNames), as the exporter writes them. A counter
        // appears once it has counted something: nothing here fails a delivery, delivers one twice or anonymises a case.
        string[] notCountedHere = ["samskaping_consume_failures_total", "samskaping_inbox_duplicates_total", "samskaping_privacy_anonymisations_total"];
        foreach (var name in MetricNames.Exported(grants.Services).Except(notCountedHere))
        {
            text.ShouldContain($"\n# TYPE {name} ", customMessage: $"{name} is declared but not scraped under that name");
        }
        // What the rules and the dashboard use of Npgsql's and ASP.NET Core's meters, with the labels they select on.
        text.ShouldContain("\n# TYPE db_client_connection_max ");
        text.ShouldContain("\n# TYPE http_server_request_duration_seconds histogram");
        text.Split('\n').ShouldContain(l => l.StartsWith("db_client_connection_count{", StringComparison.Ordinal)
            && l.Contains("db_client_connection_state=\"used\"", StringComparison.Ordinal));
    }

    /// <summary>The value of <paramref name="metric"/>'s sample for the fund (and account), or null when there is none.</summary>
    private static double? Sample(string scrape, string metric, Guid fundId, string? account = null)
    {
        foreach (var line in scrape.Split('\n'))
        {
            if (line.StartsWith(metric + "{", StringComparison.Ordinal) && line.Contains($"fund=\"{fundId}\"", StringComparison.Ordinal)
                && (account is null || line.Contains($"account=\"{account}\"", StringComparison.Ordinal)))
            {
                return double.Parse(Regex.Match(line, @"\} (\S+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return null;
    }
}
