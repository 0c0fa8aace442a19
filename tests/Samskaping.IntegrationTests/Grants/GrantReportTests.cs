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
        var fund = (await grants.CreateFund(budget: 5_000m, name: name)).GetProperty("id").GetGuid();
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        var plans = new List<Guid[]>();
        for (var household = 0; household < 5; household++)
        {
            plans.Add(await DisbursementTests.ApprovedPlan(kari, await grants.OpenCase(), fund, 300m, 2));
        }
        (await GrantsFixture.Post(kari, $"/api/grants/disbursements/{plans[0][0]}/paid", new { paidOn = "2026-11-27", paymentReference = "R" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var analyst = grants.Client("oppvekst", "analyst");

        var status = (await analyst.GetFromJsonAsync<JsonElement>("/api/grants/reports/funds")).EnumerateArray().Single(f => f.GetProperty("fundId").GetGuid() == fund);
        status.GetProperty("budget").GetDecimal().ShouldBe(5_000m);
        status.GetProperty("reserved").GetDecimal().ShouldBe(2_700m);
        status.GetProperty("paid").GetDecimal().ShouldBe(300m);
        status.GetProperty("remaining").GetDecimal().ShouldBe(2_000m);

        var csv = await analyst.GetAsync("/api/grants/reports/funds?format=csv");
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n");
        lines[0].ShouldBe("fundId,name,owner,periodStart,periodEnd,suppressed,budget,reserved,paid,remaining");
        lines.ShouldContain(l => l.StartsWith($"{fund},{name},oppvekst,", StringComparison.Ordinal) && l.EndsWith(",false,5000.00,2700.00,300.00,2000.00", StringComparison.Ordinal));

        using var accept = new HttpRequestMessage(HttpMethod.Get, $"/api/grants/reports/spending?fundId={fund}");
        accept.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var spending = await analyst.SendAsync(accept);
        spending.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var rows = (await spending.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        rows[0].ShouldBe("fundId,fundName,sector,category,month,suppressed,households,grants,approved,paid,reserved,released");
        rows.Length.ShouldBe(2);
        rows[1].ShouldEndWith($",oppvekst,leisure,{DateTime.UtcNow:yyyy-MM},false,5,5,3000.00,300.00,2700.00,0.00");
    }

    [Fact]
    public async Task A_spending_row_of_under_five_households_is_hidden_and_so_is_enough_else_that_no_total_gives_it_away()
    {
        var fund = (await grants.CreateFund(budget: 10_000m)).GetProperty("id").GetGuid();
        var small = (await grants.CreateFund(budget: 10_000m)).GetProperty("id").GetGuid();
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        // Six households got leisure grants, five school grants, one a housing grant; one household alone used the small fund.
        foreach (var (category, amount, households) in new[] { ("leisure", 100m, 6), ("school", 200m, 5), ("housing", 1_000m, 1) })
        {
            for (var i = 0; i < households; i++)
            {
                await Approved(kari, await grants.OpenCase(), fund, category, amount);
            }
        }
        await Approved(kari, await grants.OpenCase(), small, "housing", 2_500m);
        using var analyst = grants.Client("oppvekst", "analyst");

        var spending = await analyst.GetFromJsonAsync<JsonElement>("/api/grants/reports/spending");
        var statuses = (await analyst.GetFromJsonAsync<JsonElement>("/api/grants/reports/funds")).EnumerateArray().ToDictionary(f => f.GetProperty("fundId").GetGuid());

        var rows = spending.EnumerateArray().Where(r => r.GetProperty("fundId").GetGuid() == fund).ToDictionary(r => r.GetProperty("category").GetString()!);
        rows.Keys.ShouldBe(["housing", "leisure", "school"], ignoreOrder: true);
        rows["leisure"].GetProperty("suppressed").GetBoolean().ShouldBeFalse();
        rows["leisure"].GetProperty("households").GetInt32().ShouldBe(6);
        rows["leisure"].GetProperty("approved").GetDecimal().ShouldBe(600m);
        // Housing (one household) is hidden; school as well, or the fund's total minus leisure would be housing's amount.
        foreach (var hidden in new[] { "housing", "school" })
        {
            rows[hidden].GetProperty("suppressed").GetBoolean().ShouldBeTrue();
            foreach (var number in new[] { "households", "grants", "approved", "paid", "reserved", "released" })
            {
                rows[hidden].GetProperty(number).ValueKind.ShouldBe(JsonValueKind.Null, $"{hidden}.{number}");
            }
        }
        statuses[fund].GetProperty("reserved").GetDecimal().ShouldBe(600m + 1_000m + 1_000m, "the total of twelve households");

        // One household in a fund: every row of it is hidden, and so are the fund's reserved, paid and remaining.
        var alone = spending.EnumerateArray().Where(r => r.GetProperty("fundId").GetGuid() == small).ShouldHaveSingleItem();
        alone.GetProperty("suppressed").GetBoolean().ShouldBeTrue();
        alone.GetProperty("approved").ValueKind.ShouldBe(JsonValueKind.Null);
        statuses[small].GetProperty("suppressed").GetBoolean().ShouldBeTrue();
        statuses[small].GetProperty("budget").GetDecimal().ShouldBe(10_000m);
        foreach (var number in new[] { "reserved", "paid", "remaining" })
        {
            statuses[small].GetProperty(number).ValueKind.ShouldBe(JsonValueKind.Null, number);
        }
    }

    private static async Task Approved(HttpClient worker, Guid caseId, Guid fund, string category, decimal amount)
    {
        var grant = await GrantsFixture.RequestGrant(worker, caseId, new
        {
            fundId = fund,
            amount,
            purpose = "Det familien trenger",
            category,
            payee = new { kind = "family", name = "Familien Berg", accountNumber = GrantsFixture.FamilyAccount },
        });
        var approved = await GrantsFixture.Post(worker, $"/api/grants/grants/{grant.GetProperty("id").GetGuid()}/approve", null);
        approved.StatusCode.ShouldBe(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
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
