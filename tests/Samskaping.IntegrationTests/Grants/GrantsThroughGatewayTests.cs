using System.Net;
using Samskaping.IntegrationTests.EndToEnd;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Grants;

/// <summary>Grants behind the gateway: analysts reach the aggregated reports (and nothing else of grants).</summary>
[Collection(SystemCollection.Name)]
public sealed class GrantsThroughGatewayTests(SystemFixture system)
{
    [Fact]
    public async Task Analysts_reach_grant_reports_through_the_gateway_but_not_grants_themselves()
    {
        using var analyst = system.Client("oppvekst", "analyst");

        (await analyst.GetAsync("/api/grants/reports/funds")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await analyst.GetAsync("/api/grants/reports/spending?format=csv")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await analyst.GetAsync("/api/grants/funds")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await analyst.GetAsync($"/api/grants/cases/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await analyst.GetAsync($"/api/grants/reports/households/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
