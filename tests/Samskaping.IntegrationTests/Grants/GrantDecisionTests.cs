using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Grants;

[Collection(GrantsCollection.Name)]
public sealed class GrantDecisionTests(GrantsFixture grants)
{
    [Fact]
    public async Task At_or_below_the_threshold_the_requesting_caseworker_decides_alone_and_the_money_is_reserved()
    {
        var fund = (await grants.CreateFund(budget: 10_000m, threshold: 2_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        var grant = await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fund, 2_000m));
        grant.GetProperty("status").GetString().ShouldBe("requested");
        var grantId = grant.GetProperty("id").GetGuid();

        var approved = await GrantsFixture.Post(kari, $"/api/grants/grants/{grantId}/approve", null);

        approved.StatusCode.ShouldBe(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        var body = await approved.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("status").GetString().ShouldBe("approved");
        body.GetProperty("decidedBy").GetString().ShouldBe("kari");
        body.GetProperty("secondApprover").ValueKind.ShouldBe(JsonValueKind.Null);
        var disbursement = body.GetProperty("disbursements").EnumerateArray().ShouldHaveSingleItem();
        disbursement.GetProperty("status").GetString().ShouldBe("planned");
        disbursement.GetProperty("amount").GetDecimal().ShouldBe(2_000m);
        (await grants.Balances(fund)).ShouldBe((8_000m, 2_000m, 0m, -10_000m));
        (await grants.Events("GrantApproved", "grantId", grantId)).ShouldBe(1);
        (await grants.Events("DisbursementPlanned", "grantId", grantId)).ShouldBe(1);
        (await grants.Database.Scalar<bool>(
            "SELECT (body ->> 'reportToBenefitSystem')::boolean FROM messaging.outbox WHERE message_type = 'Samskaping.Contracts.Grants.DisbursementPlanned' AND body ->> 'grantId' = @g",
            ("g", grantId.ToString()))).ShouldBeTrue();
        await grants.AssertLedgerConsistent();
    }

    [Fact]
    public async Task Above_the_threshold_a_caseworker_cannot_approve_and_the_requesting_approver_cannot_approve_their_own()
    {
        var fund = (await grants.CreateFund(budget: 10_000m, threshold: 1_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var ola = grants.Client("oppvekst", "grant-approver", "ola");
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        using var siri = grants.Client("oppvekst", "grant-approver", "siri");
        var grantId = (await GrantsFixture.RequestGrant(ola, caseId, GrantsFixture.Request(fund, 1_000.01m))).GetProperty("id").GetGuid();

        var byCaseworker = await GrantsFixture.Post(kari, $"/api/grants/grants/{grantId}/approve", null);
        var byRequester = await GrantsFixture.Post(ola, $"/api/grants/grants/{grantId}/approve", null);

        byCaseworker.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await byCaseworker.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString()!.ShouldContain("grant-approver");
        byRequester.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        byRequester.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await byRequester.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString()!.ShouldContain("you requested this grant");
        (await grants.Balances(fund)).Reserved.ShouldBe(0m, "a refused approval reserves nothing");

        var bySecond = await GrantsFixture.Post(siri, $"/api/grants/grants/{grantId}/approve", null);

        bySecond.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await bySecond.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("decidedBy").GetString().ShouldBe("ola");
        body.GetProperty("secondApprover").GetString().ShouldBe("siri");
        (await grants.Balances(fund)).Reserved.ShouldBe(1_000.01m);
    }

    [Fact]
    public async Task The_household_cap_is_enforced_across_the_households_cases()
    {
        var fund = (await grants.CreateFund(budget: 50_000m, householdCap: 3_000m)).GetProperty("id").GetGuid();
        var household = Guid.CreateVersion7();
        var first = await grants.OpenCase(householdId: household);
        var second = await grants.OpenCase(householdId: household);
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        var a = (await GrantsFixture.RequestGrant(kari, first, GrantsFixture.Request(fund, 2_000m))).GetProperty("id").GetGuid();
        var b = (await GrantsFixture.RequestGrant(kari, second, GrantsFixture.Request(fund, 1_500m))).GetProperty("id").GetGuid();
        (await GrantsFixture.Post(kari, $"/api/grants/grants/{a}/approve", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var over = await GrantsFixture.Post(kari, $"/api/grants/grants/{b}/approve", null);

        over.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await over.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("title").GetString()!.ShouldContain("household cap");
        problem.GetProperty("detail").GetString()!.ShouldContain("2000.00");
        (await grants.Balances(fund)).Reserved.ShouldBe(2_000m);
        (await grants.Database.Scalar<string>("SELECT status FROM grants.grants WHERE id = @g", ("g", b))).ShouldBe("requested");
    }

    [Fact]
    public async Task Concurrent_approvals_for_one_household_never_pass_its_cap()
    {
        var fund = (await grants.CreateFund(budget: 50_000m, householdCap: 2_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        var grantIds = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            grantIds.Add((await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fund, 500m))).GetProperty("id").GetGuid());
        }

        var answers = await Task.WhenAll(grantIds.Select(id => GrantsFixture.Post(kari, $"/api/grants/grants/{id}/approve", null)));

        answers.Count(a => a.StatusCode == HttpStatusCode.OK).ShouldBe(4);
        answers.Count(a => a.StatusCode == HttpStatusCode.Conflict).ShouldBe(6);
        (await grants.Balances(fund)).Reserved.ShouldBe(2_000m);
        (await grants.Database.Scalar<decimal>("SELECT committed FROM grants.household_usage WHERE fund_id = @f", ("f", fund))).ShouldBe(2_000m);
    }

    [Fact]
    public async Task Declining_needs_a_reason_and_a_decided_grant_cannot_be_decided_again()
    {
        var fund = (await grants.CreateFund(budget: 5_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fund, 500m))).GetProperty("id").GetGuid();

        var noReason = await kari.PostAsJsonAsync($"/api/grants/grants/{grantId}/decline", new { reason = " " });
        noReason.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _).ShouldBeTrue();

        var declined = await kari.PostAsJsonAsync($"/api/grants/grants/{grantId}/decline", new { reason = "Dekkes av skolen." });
        declined.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await declined.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("declineReason").GetString().ShouldBe("Dekkes av skolen.");
        (await grants.Events("GrantDeclined", "grantId", grantId)).ShouldBe(1);

        (await GrantsFixture.Post(kari, $"/api/grants/grants/{grantId}/approve", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await kari.PostAsJsonAsync($"/api/grants/grants/{grantId}/decline", new { reason = "igjen" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await grants.Balances(fund)).Reserved.ShouldBe(0m);
    }

    [Fact]
    public async Task Approving_more_than_the_fund_has_is_409_naming_what_is_available()
    {
        var fund = (await grants.CreateFund(budget: 1_000m, threshold: 10_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fund, 1_000.50m))).GetProperty("id").GetGuid();

        var response = await GrantsFixture.Post(kari, $"/api/grants/grants/{grantId}/approve", null);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldContain("only 1000.00 NOK available");
        (await grants.Balances(fund)).ShouldBe((1_000m, 0m, 0m, -1_000m));
        (await grants.Database.Scalar<decimal>("SELECT coalesce(sum(committed), 0) FROM grants.household_usage WHERE fund_id = @f", ("f", fund))).ShouldBe(0m,
            "the household's cap was not used by a refused approval");
    }

    [Fact]
    public async Task The_decision_view_shows_threshold_cap_and_says_benefits_are_not_known_without_a_benefits_service()
    {
        var fund = (await grants.CreateFund(budget: 5_000m, threshold: 1_000m, householdCap: 4_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fund, 1_500m))).GetProperty("id").GetGuid();

        var view = await kari.GetFromJsonAsync<JsonElement>($"/api/grants/grants/{grantId}/decision");

        view.GetProperty("needsSecondApprover").GetBoolean().ShouldBeTrue();
        view.GetProperty("fundAvailable").GetDecimal().ShouldBe(5_000m);
        view.GetProperty("householdRemaining").GetDecimal().ShouldBe(4_000m);
        var benefits = view.GetProperty("currentBenefits");
        benefits.GetProperty("known").GetBoolean().ShouldBeFalse();
        benefits.GetProperty("items").GetArrayLength().ShouldBe(0);
        benefits.GetProperty("source").GetString()!.ShouldContain("no benefits service is configured (Grants:Benefits:BaseUrl)");
    }

    [Fact]
    public async Task Instalments_become_one_planned_disbursement_each_with_its_due_date()
    {
        var fund = (await grants.CreateFund(budget: 5_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        var body = new
        {
            fundId = fund,
            amount = 900m,
            purpose = "Husleie i tre måneder mens far er sykmeldt",
            category = "housing",
            payee = new { kind = "third-party", name = "Utleier AS", accountNumber = GrantsFixture.ClubAccount, organisationNumber = GrantsFixture.ClubOrganisation },
            instalments = new[]
            {
                new { amount = 300m, dueOn = "2030-01-01" }, new { amount = 300m, dueOn = "2030-02-01" }, new { amount = 300m, dueOn = "2030-03-01" },
            },
        };
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, body)).GetProperty("id").GetGuid();

        var approved = await (await GrantsFixture.Post(kari, $"/api/grants/grants/{grantId}/approve", null)).Content.ReadFromJsonAsync<JsonElement>();

        approved.GetProperty("disbursements").EnumerateArray().Select(d => d.GetProperty("dueOn").GetString())
            .ShouldBe(["2030-01-01", "2030-02-01", "2030-03-01"]);
        approved.GetProperty("payee").GetProperty("organisationNumber").GetString().ShouldBe(GrantsFixture.ClubOrganisation);
        (await grants.Events("DisbursementPlanned", "grantId", grantId)).ShouldBe(3);
        (await grants.Balances(fund)).Reserved.ShouldBe(900m);
    }
}
