using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Grants;

[Collection(GrantsCollection.Name)]
public sealed class GrantReportTests(GrantsFixture grants)
{
    [Fact]
    public async Task Fund_status_and_spending_come_as_JSON_and_as_CSV()
    {
        var name = "Rapportfond " + Guid.NewGuid().ToString("N")[..8];
        var fund = (await grants.CreateFund(budget: 2_000m, name: name)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        var ids = await DisbursementTests.ApprovedPlan(kari, caseId, fund, 300m, 2);
        (await GrantsFixture.Post(kari, $"/api/grants/disbursements/{ids[0]}/paid", new { paidOn = "2026-11-27", paymentReference = "R" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var analyst = grants.Client("oppvekst", "analyst");

        var status = (await analyst.GetFromJsonAsync<JsonElement>("/api/grants/reports/funds")).EnumerateArray().Single(f => f.GetProperty("fundId").GetGuid() == fund);
        status.GetProperty("budget").GetDecimal().ShouldBe(2_000m);
        status.GetProperty("reserved").GetDecimal().ShouldBe(300m);
        status.GetProperty("paid").GetDecimal().ShouldBe(300m);
        status.GetProperty("remaining").GetDecimal().ShouldBe(1_400m);

        var csv = await analyst.GetAsync("/api/grants/reports/funds?format=csv");
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n");
        lines[0].ShouldBe("fundId,name,owner,periodStart,periodEnd,budget,reserved,paid,remaining");
        lines.ShouldContain(l => l.StartsWith($"{fund},{name},oppvekst,", StringComparison.Ordinal) && l.EndsWith(",2000.00,300.00,300.00,1400.00", StringComparison.Ordinal));

        using var accept = new HttpRequestMessage(HttpMethod.Get, $"/api/grants/reports/spending?fundId={fund}");
        accept.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var spending = await analyst.SendAsync(accept);
        spending.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var rows = (await spending.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        rows[0].ShouldBe("fundId,fundName,sector,category,month,grants,approved,paid,reserved,released");
        rows.Length.ShouldBe(2);
        rows[1].ShouldEndWith($",oppvekst,leisure,{DateTime.UtcNow:yyyy-MM},1,600.00,300.00,300.00,0.00");
        rows[1].ShouldNotContain(caseId.ToString(), customMessage: "aggregates only");
    }

    [Fact]
    public async Task A_households_grants_over_time_are_shown_to_workers_who_see_its_cases()
    {
        var fund = (await grants.CreateFund(budget: 2_000m)).GetProperty("id").GetGuid();
        var household = Guid.CreateVersion7();
        var first = await grants.OpenCase("oppvekst", household);
        var second = await grants.OpenCase("kultur", household);
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        using var kultur = grants.Client("kultur", "caseworker", "kultur-worker");
        await GrantsFixture.RequestGrant(kari, first, GrantsFixture.Request(fund, 100m));
        await GrantsFixture.RequestGrant(kultur, second, GrantsFixture.Request(fund, 200m));

        var seenByKari = await kari.GetFromJsonAsync<JsonElement>($"/api/grants/reports/households/{household}");
        var csv = await kultur.GetStringAsync($"/api/grants/reports/households/{household}?format=csv");
        var outsider = await grants.Client("nav", "caseworker").GetAsync($"/api/grants/reports/households/{household}");

        seenByKari.EnumerateArray().Select(g => g.GetProperty("amount").GetDecimal()).ShouldBe([100m], "only the case oppvekst takes part in");
        csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(2);
        outsider.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
