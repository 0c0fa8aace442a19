using System.Net;
using Samskaping.IntegrationTests.Cases;
using Samskaping.IntegrationTests.EndToEnd;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Operations;

/// <summary>The cases meter's instruments, recorded while a caseworker opens and closes a case through the gateway.</summary>
[Collection(SystemCollection.Name)]
public sealed class CasesMetricsTests(SystemFixture system)
{
    [Fact]
    public async Task Opening_and_closing_a_case_is_counted_by_sector_and_the_open_cases_by_status_match_the_database()
    {
        using var measured = new ServiceMeasurements(system.Services("cases"));
        using var kari = system.Client("kultur", "caseworker", "kari-metrics");

        var caseId = await CaseClient.Open(kari, "Familien Måler");
        measured.Sum("samskaping.cases.opened", ("sector", "kultur")).ShouldBe(1);
        measured.Sum("samskaping.cases.closed").ShouldBe(0);
        await GaugesMatchTheDatabase(measured);

        (await CaseClient.Move(kari, caseId, "closed", "Familien trenger ikke hjelp likevel.")).StatusCode.ShouldBe(HttpStatusCode.OK);
        measured.Sum("samskaping.cases.closed", ("sector", "kultur")).ShouldBe(1);
        await GaugesMatchTheDatabase(measured);
        // Every access-log entry the two requests wrote is counted, by action.
        var logged = await system.Database("cases").Scalar<long>("SELECT count(*) FROM access.access_log WHERE subject = 'kari-metrics'");
        logged.ShouldBeGreaterThan(0);
        measured.Sum("samskaping.access_log.writes").ShouldBe(logged);
        measured.Sum("samskaping.access_log.writes", ("action", "create")).ShouldBeGreaterThan(0);
        measured.ShouldCarryNoPersonalData();
    }

    [Fact]
    public async Task Each_service_serves_metrics_to_whoever_reaches_its_port_and_the_public_gateway_serves_none()
    {
        foreach (var service in SystemFixture.ServiceNames)
        {
            using var prometheus = new HttpClient { BaseAddress = system.Address(service) };
            var scrape = await prometheus.GetAsync("/metrics");
            scrape.StatusCode.ShouldBe(HttpStatusCode.OK, service);
            (await scrape.Content.ReadAsStringAsync()).ShouldContain("# TYPE samskaping_outbox_backlog gauge", customMessage: service);
        }
        // The gateway's fallback policy refuses the anonymous; a signed-in caller finds nothing there either.
        using var outside = system.Anonymous();
        (await outside.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var worker = system.Client("oppvekst", "caseworker");
        (await worker.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private async Task GaugesMatchTheDatabase(ServiceMeasurements measured)
    {
        foreach (var status in Contracts.Cases.CaseStatuses.All)
        {
            var inDatabase = await system.Database("cases").Scalar<long>("SELECT count(*) FROM cases.cases WHERE status = @s", ("s", status));
            measured.Gauge("samskaping.cases.by_status", ("status", status)).ShouldBe(inDatabase, $"cases {status}");
        }
    }
}
