using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Coordination;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Grants;

[Collection(GrantsCollection.Name)]
public sealed class GrantAccessTests(GrantsFixture grants)
{
    [Fact]
    public async Task A_sector_outside_the_case_gets_404_for_its_grants_and_disbursements()
    {
        var fund = (await grants.CreateFund(budget: 1_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase("oppvekst");
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        using var outsider = grants.Client("helse-velferd", "grant-approver", "outsider");
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fund, 100m))).GetProperty("id").GetGuid();
        var disbursement = (await DisbursementTests.ApprovedPlan(kari, caseId, fund, 50m, 1))[0];

        var answers = new[]
        {
            await outsider.GetAsync($"/api/grants/cases/{caseId}"),
            await outsider.GetAsync($"/api/grants/grants/{grantId}"),
            await outsider.GetAsync($"/api/grants/grants/{grantId}/decision"),
            await GrantsFixture.Post(outsider, $"/api/grants/cases/{caseId}/grants", GrantsFixture.Request(fund, 10m)),
            await GrantsFixture.Post(outsider, $"/api/grants/grants/{grantId}/approve", null),
            await outsider.PostAsJsonAsync($"/api/grants/grants/{grantId}/decline", new { reason = "nei" }),
            await GrantsFixture.Post(outsider, $"/api/grants/disbursements/{disbursement}/paid", new { paidOn = "2026-11-27", paymentReference = "X" }),
            await GrantsFixture.Post(outsider, $"/api/grants/disbursements/{disbursement}/stop", new { reason = "x" }),
        };

        foreach (var answer in answers)
        {
            answer.StatusCode.ShouldBe(HttpStatusCode.NotFound, answer.RequestMessage!.RequestUri!.ToString());
            answer.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }
        (await grants.Database.Scalar<string>("SELECT status FROM grants.grants WHERE id = @g", ("g", grantId))).ShouldBe("requested");
    }

    [Fact]
    public async Task A_sector_that_joins_with_consent_sees_the_grants_and_one_whose_consent_is_withdrawn_does_not()
    {
        var fund = (await grants.CreateFund(budget: 1_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase("oppvekst");
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        using var nav = grants.Client("nav", "caseworker", "nav-worker");
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fund, 100m))).GetProperty("id").GetGuid();
        var consentId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;

        await grants.Bus.Publish(new ConsentGiven(caseId, consentId, Guid.NewGuid(), Guid.NewGuid(), ["oppvekst", "nav"], [ConsentPurposes.Grants],
            [DataCategories.Economy], now.AddMinutes(-1), null, "kari", now));
        await grants.Bus.Publish(new SectorJoinedCase(caseId, "nav", "contributor", now));
        await Eventually.True(async () => (await nav.GetAsync($"/api/grants/grants/{grantId}")).StatusCode == HttpStatusCode.OK, what: "nav to see the grant");
        (await grants.Database.Scalar<long>("SELECT count(*) FROM access.access_log WHERE subject = 'nav-worker' AND case_id = @c AND action = 'read'",
            ("c", caseId))).ShouldBeGreaterThan(0, "reads are access-logged");

        await grants.Bus.Publish(new ConsentWithdrawn(caseId, consentId, Guid.NewGuid(), "trakk samtykket", "kari", DateTimeOffset.UtcNow));
        await Eventually.True(async () => (await nav.GetAsync($"/api/grants/grants/{grantId}")).StatusCode == HttpStatusCode.NotFound, what: "nav to lose sight of the grant");
    }

    [Fact]
    public async Task Analysts_see_aggregates_only_and_caseworkers_do_not_manage_funds()
    {
        var fund = (await grants.CreateFund(budget: 1_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        using var analyst = grants.Client("oppvekst", "analyst", "analyst");
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fund, 100m))).GetProperty("id").GetGuid();
        var household = (await kari.GetFromJsonAsync<JsonElement>($"/api/grants/grants/{grantId}")).GetProperty("householdId").GetGuid();

        (await analyst.GetAsync("/api/grants/reports/funds")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await analyst.GetAsync("/api/grants/reports/spending")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await analyst.GetAsync($"/api/grants/grants/{grantId}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await analyst.GetAsync($"/api/grants/reports/households/{household}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await analyst.GetAsync("/api/grants/funds")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        (await GrantsFixture.Post(kari, $"/api/grants/funds/{fund}/top-ups", new { amount = 1m })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await kari.GetAsync($"/api/grants/funds/{fund}/ledger")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await kari.GetAsync("/api/grants/reports/funds")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var seen = await kari.GetFromJsonAsync<JsonElement>($"/api/grants/funds/{fund}");
        seen.GetProperty("balances").ValueKind.ShouldBe(JsonValueKind.Null, "caseworkers see a fund's rules, not its balances");
    }
}
