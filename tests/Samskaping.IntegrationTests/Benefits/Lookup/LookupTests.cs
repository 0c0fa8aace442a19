using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.IntegrationTests.Grants;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Benefits.Lookup;

/// <summary>
/// GET /api/benefits/households/{id}/benefits through the gateway: members from cases, benefits from the NAV-style
/// simulator, cached, access-checked and access-logged; a clear 503 when the other side is down, never a 500.
/// </summary>
[Collection(BenefitsSystemCollection.Name)]
public sealed class LookupTests(BenefitsSystem system)
{
    /// <summary>Benefits:Nav:LookupTimeoutSeconds (default 3) plus a loose margin: the answer must come, not hang.</summary>
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(3 + 5);

    private static readonly string[] AnyUnavailable = ["benefit-system-unavailable", "benefit-system-circuit-open"];

    private static readonly string[] Oppvekst = ["oppvekst"];

    private static readonly string[] Economy = ["economy"];

    [Fact]
    public async Task A_worker_sees_each_members_current_benefits_without_identity_numbers_and_a_second_look_comes_from_the_cache()
    {
        using var kari = system.Client("oppvekst", subject: "kari-" + Guid.NewGuid().ToString("N")[..8]);
        var (caseId, householdId) = await BenefitsSystem.OpenCase(kari);
        var mother = SyntheticIdentityNumbers.Adult();
        var child = SyntheticIdentityNumbers.Child();
        await system.SetBenefits(mother, new { type = "økonomisk sosialhjelp", belopPerManed = 8450.00m, fom = "2026-01-01", tom = (string?)null });
        var motherId = await BenefitsSystem.AddMember(kari, caseId, "Mor", "parent", mother);
        var childId = await BenefitsSystem.AddMember(kari, caseId, "Sara", "child", child);
        var uncleId = await BenefitsSystem.AddMember(kari, caseId, "Onkel", "other-adult", null, new DateOnly(1980, 5, 1));
        await system.KnownEverywhere(caseId);

        var first = await EventuallyOk(kari, householdId);
        // Cases, which gives benefits the identity numbers, logs each read as the service's, for Kari on this case.
        // Waiting for the look-up may have taken several reads; what matters is that the cached look adds none.
        var casesReads = new Dictionary<Guid, long>();
        foreach (var person in new[] { motherId, childId, uncleId })
        {
            casesReads[person] = await CasesReadsFor(person, caseId, kari.Subject());
            casesReads[person].ShouldBeGreaterThanOrEqualTo(1);
        }

        var text = first.GetRawText();
        text.ShouldNotContain(mother);
        text.ShouldNotContain(child);
        first.GetProperty("householdId").GetGuid().ShouldBe(householdId);
        var members = first.GetProperty("members").EnumerateArray().ToDictionary(m => m.GetProperty("personId").GetGuid());
        members.Keys.ShouldBe([motherId, childId, uncleId], ignoreOrder: true);
        var benefit = members[motherId].GetProperty("benefits").EnumerateArray().ShouldHaveSingleItem();
        benefit.GetProperty("type").GetString().ShouldBe("økonomisk sosialhjelp");
        benefit.GetProperty("monthlyAmount").GetDecimal().ShouldBe(8450.00m);
        benefit.GetProperty("from").GetString().ShouldBe("2026-01-01");
        benefit.GetProperty("to").ValueKind.ShouldBe(JsonValueKind.Null);
        members[motherId].GetProperty("role").GetString().ShouldBe("parent");
        members[childId].GetProperty("identified").GetBoolean().ShouldBeTrue();
        members[childId].GetProperty("benefits").GetArrayLength().ShouldBe(0);
        members[uncleId].GetProperty("identified").GetBoolean().ShouldBeFalse();

        // The benefit system changes, but within the cache time the same answer comes back, saying when it was fetched.
        await system.SetBenefits(mother);
        var second = await kari.GetFromJsonAsync<JsonElement>(Path(householdId));
        second.GetProperty("fetchedAt").GetDateTimeOffset().ShouldBe(first.GetProperty("fetchedAt").GetDateTimeOffset());
        second.GetProperty("cachedUntil").GetDateTimeOffset().ShouldBe(first.GetProperty("fetchedAt").GetDateTimeOffset().AddSeconds(60));
        second.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("personId").GetGuid() == motherId)
            .GetProperty("benefits").GetArrayLength().ShouldBe(1);

        // Both looks are access-logged per member, in benefits.
        foreach (var person in new[] { motherId, childId, uncleId })
        {
            (await system.Database("benefits").Scalar<long>(
                "SELECT count(*) FROM access.access_log WHERE person_id = @p AND case_id = @c AND action = 'read' AND purpose = 'benefit look-up' AND subject = @s",
                ("p", person), ("c", caseId), ("s", kari.Subject()))).ShouldBe(2);
            (await CasesReadsFor(person, caseId, kari.Subject())).ShouldBe(casesReads[person], "the second look came from the cache");
        }
    }

    private Task<long> CasesReadsFor(Guid person, Guid caseId, string subject) =>
        system.Database("cases").Scalar<long>(
            "SELECT count(*) FROM access.access_log WHERE person_id = @p AND case_id = @c AND subject = 'service:benefits' AND on_behalf_of = @s AND on_behalf_of_sector = 'oppvekst'",
            ("p", person), ("c", caseId), ("s", subject));

    [Fact]
    public async Task A_sector_outside_the_household_s_cases_gets_404_and_an_unknown_household_too()
    {
        using var kari = system.Client("oppvekst");
        using var outsider = system.Client("helse-velferd");
        var (caseId, householdId) = await BenefitsSystem.OpenCase(kari);
        await BenefitsSystem.AddMember(kari, caseId, "Mor", "parent", SyntheticIdentityNumbers.Adult());
        await system.KnownEverywhere(caseId);
        await EventuallyOk(kari, householdId);

        foreach (var (client, household) in new[] { (outsider, householdId), (kari, Guid.NewGuid()) })
        {
            var response = await client.GetAsync(Path(household));

            response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("title").GetString().ShouldBe("Household not found.");
        }
        (await system.Database("benefits").Scalar<long>(
            "SELECT count(*) FROM access.access_log WHERE case_id = @c AND sector = 'helse-velferd'", ("c", caseId))).ShouldBe(0);
    }

    [Theory]
    [InlineData("Unavailable", 0, "benefit-system-unavailable", "answered 503")]
    [InlineData("Slow", 20_000, "benefit-system-timeout", "did not answer within 3 seconds")]
    [InlineData("Drop", 0, "benefit-system-unavailable", "could not be reached")]
    public async Task When_the_benefit_system_fails_the_look_up_is_a_503_problem_with_retry_after_in_time(
        string fault, int delayMilliseconds, string reason, string detail)
    {
        var (kari, householdId) = await HouseholdWithOneIdentifiedMember();
        // A benefits process of its own, so its circuit breaker starts closed whatever other tests did.
        var (fresh, address) = system.SecondBenefits(navDown: false, casesDown: false);
        using (fresh)
        {
            using var direct = BenefitsSystem.Anonymous(address);
            direct.DefaultRequestHeaders.Authorization = kari.DefaultRequestHeaders.Authorization;
            await system.Fault(fault, delayMilliseconds);
            try
            {
                var (response, elapsed) = await Timed(() => direct.GetAsync(Path(householdId)));

                var problem = await ShouldBeUnavailable(response, [reason]);
                problem.GetProperty("detail").GetString()!.ShouldContain(detail);
                elapsed.ShouldBeLessThan(AnswerWithin);
            }
            finally
            {
                await system.Fault("None");
            }
        }
    }

    [Fact]
    public async Task Through_the_gateway_an_outage_is_a_503_problem_too()
    {
        var (kari, householdId) = await HouseholdWithOneIdentifiedMember();
        await system.Fault("Unavailable");
        try
        {
            var (response, elapsed) = await Timed(() => kari.GetAsync(Path(householdId)));

            await ShouldBeUnavailable(response, AnyUnavailable);
            elapsed.ShouldBeLessThan(AnswerWithin);
        }
        finally
        {
            await system.Fault("None");
        }
    }

    [Fact]
    public async Task When_the_benefit_system_is_not_running_at_all_the_look_up_answers_503()
    {
        var (kari, householdId) = await HouseholdWithOneIdentifiedMember();
        var (cutOff, address) = system.SecondBenefits(navDown: true, casesDown: false);
        using (cutOff)
        {
            using var direct = BenefitsSystem.Anonymous(address);
            direct.DefaultRequestHeaders.Authorization = kari.DefaultRequestHeaders.Authorization;

            var (response, elapsed) = await Timed(() => direct.GetAsync(Path(householdId)));

            var problem = await ShouldBeUnavailable(response, ["benefit-system-unavailable"]);
            problem.GetProperty("detail").GetString()!.ShouldContain("could not be reached");
            elapsed.ShouldBeLessThan(AnswerWithin);
        }
    }

    [Fact]
    public async Task Repeated_failures_open_the_circuit_and_the_look_up_says_so_without_asking_again()
    {
        var (kari, householdId) = await HouseholdWithOneIdentifiedMember();
        var (cutOff, address) = system.SecondBenefits(navDown: true, casesDown: false);
        using (cutOff)
        {
            using var direct = BenefitsSystem.Anonymous(address);
            direct.DefaultRequestHeaders.Authorization = kari.DefaultRequestHeaders.Authorization;

            var reasons = new List<string>();
            for (var i = 0; i < 6 && !reasons.Contains("benefit-system-circuit-open"); i++)
            {
                var problem = await ShouldBeUnavailable(await direct.GetAsync(Path(householdId)), AnyUnavailable);
                reasons.Add(problem.GetProperty("reason").GetString()!);
            }

            reasons[0].ShouldBe("benefit-system-unavailable");
            reasons.ShouldContain("benefit-system-circuit-open", $"after {string.Join(", ", reasons)}");
            var resting = await direct.GetAsync(Path(householdId));
            (await ShouldBeUnavailable(resting, ["benefit-system-circuit-open"])).GetProperty("detail").GetString()!.ShouldContain("not being asked for a short while");
            resting.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task When_the_cases_service_cannot_be_reached_the_look_up_answers_503()
    {
        var (kari, householdId) = await HouseholdWithOneIdentifiedMember();
        var (cutOff, address) = system.SecondBenefits(navDown: false, casesDown: true);
        using (cutOff)
        {
            using var direct = BenefitsSystem.Anonymous(address);
            direct.DefaultRequestHeaders.Authorization = kari.DefaultRequestHeaders.Authorization;

            var response = await direct.GetAsync(Path(householdId));

            var problem = await ShouldBeUnavailable(response, ["cases-unavailable"]);
            problem.GetProperty("title").GetString().ShouldBe("The household's members are unavailable.");
        }
    }

    [Fact]
    public async Task The_grant_decision_view_shows_the_household_s_current_benefits_and_says_why_when_it_cannot()
    {
        var fundId = await CreateFund();
        using var kari = system.Client("oppvekst", subject: "kari-grants");
        var (caseId, _) = await BenefitsSystem.OpenCase(kari);
        var mother = SyntheticIdentityNumbers.Adult();
        await system.SetBenefits(mother, new { type = "økonomisk sosialhjelp", belopPerManed = 7200.00m, fom = "2026-03-01", tom = "2026-12-31" });
        var motherId = await BenefitsSystem.AddMember(kari, caseId, "Mor", "parent", mother);
        await system.KnownEverywhere(caseId);
        await Eventually.True(async () => (await kari.GetAsync($"/api/grants/cases/{caseId}")).IsSuccessStatusCode, what: "grants to know the case");
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fundId, 1_500m))).GetProperty("id").GetGuid();

        var view = await Eventually.Get(async () => await kari.GetFromJsonAsync<JsonElement>($"/api/grants/grants/{grantId}/decision"),
            v => v.GetProperty("currentBenefits").GetProperty("known").GetBoolean(), what: "the decision view with known benefits");

        var benefits = view.GetProperty("currentBenefits");
        benefits.GetProperty("source").GetString()!.ShouldStartWith("the benefit system, through the benefits service, as of ");
        var item = benefits.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        item.GetProperty("personId").GetGuid().ShouldBe(motherId);
        item.GetProperty("type").GetString().ShouldBe("økonomisk sosialhjelp");
        item.GetProperty("monthlyAmount").GetDecimal().ShouldBe(7200.00m);
        item.GetProperty("from").GetString().ShouldBe("2026-03-01");
        item.GetProperty("to").GetString().ShouldBe("2026-12-31");
        view.GetRawText().ShouldNotContain(mother);

        // Another household, while the benefit system is down: the view still answers, saying why benefits are not known.
        var (otherCase, _) = await BenefitsSystem.OpenCase(kari);
        await BenefitsSystem.AddMember(kari, otherCase, "Far", "parent", SyntheticIdentityNumbers.Adult());
        await system.KnownEverywhere(otherCase);
        await Eventually.True(async () => (await kari.GetAsync($"/api/grants/cases/{otherCase}")).IsSuccessStatusCode, what: "grants to know the case");
        var otherGrant = (await GrantsFixture.RequestGrant(kari, otherCase, GrantsFixture.Request(fundId, 500m))).GetProperty("id").GetGuid();
        await system.Fault("Unavailable");
        try
        {
            var response = await kari.GetAsync($"/api/grants/grants/{otherGrant}/decision");

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var unknown = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("currentBenefits");
            unknown.GetProperty("known").GetBoolean().ShouldBeFalse();
            unknown.GetProperty("source").GetString()!.ShouldStartWith("unavailable: ");
            unknown.GetProperty("items").GetArrayLength().ShouldBe(0);
        }
        finally
        {
            await system.Fault("None");
        }
    }

    [Fact]
    public async Task Benefits_the_benefit_system_was_never_asked_about_are_not_known()
    {
        var fundId = await CreateFund();
        using var kari = system.Client("oppvekst", subject: "kari-grants");
        // A household with no members yet, and one whose only member has no identity number: nobody the benefit system can be asked about.
        var (empty, emptyHousehold) = await BenefitsSystem.OpenCase(kari);
        var (unidentified, unidentifiedHousehold) = await BenefitsSystem.OpenCase(kari);
        await BenefitsSystem.AddMember(kari, unidentified, "Onkel", "other-adult", null, new DateOnly(1980, 5, 1));

        foreach (var (caseId, householdId, reason) in new[] { (empty, emptyHousehold, "no members"), (unidentified, unidentifiedHousehold, "identity number") })
        {
            await system.KnownEverywhere(caseId);
            var lookup = await EventuallyOk(kari, householdId);
            lookup.GetProperty("fetchedAt").ValueKind.ShouldBe(JsonValueKind.Null, "the benefit system was not asked");

            await Eventually.True(async () => (await kari.GetAsync($"/api/grants/cases/{caseId}")).IsSuccessStatusCode, what: "grants to know the case");
            var grantId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fundId, 500m))).GetProperty("id").GetGuid();
            var view = await kari.GetFromJsonAsync<JsonElement>($"/api/grants/grants/{grantId}/decision");

            var benefits = view.GetProperty("currentBenefits");
            benefits.GetProperty("known").GetBoolean().ShouldBeFalse(reason);
            benefits.GetProperty("source").GetString()!.ShouldStartWith("not known: ");
            benefits.GetProperty("source").GetString()!.ShouldContain(reason);
            benefits.GetProperty("items").GetArrayLength().ShouldBe(0);
        }
    }

    /// <summary>A fund grants can be requested from, created through the gateway by a grant approver.</summary>
    private async Task<Guid> CreateFund()
    {
        using var approver = system.Client("oppvekst", "grant-approver", "fund-admin");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var fund = await GrantsFixture.Post(approver, "/api/grants/funds", new
        {
            name = "Fond " + Guid.NewGuid().ToString("N")[..10], owner = "oppvekst", periodStart = today.AddDays(-30), periodEnd = today.AddDays(330),
            budget = 10_000m, approvalThreshold = 5_000m, householdCap = 10_000m, lowBalanceThreshold = 0m, reportToBenefitSystem = false,
        });
        fund.StatusCode.ShouldBe(HttpStatusCode.Created, await fund.Content.ReadAsStringAsync());
        return (await fund.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    internal static string Path(Guid householdId) => $"/api/benefits/households/{householdId}/benefits";

    private async Task<(HttpClient Kari, Guid HouseholdId)> HouseholdWithOneIdentifiedMember()
    {
        var kari = system.Client("oppvekst");
        var (caseId, householdId) = await BenefitsSystem.OpenCase(kari);
        await BenefitsSystem.AddMember(kari, caseId, "Mor", "parent", SyntheticIdentityNumbers.Adult());
        await system.KnownEverywhere(caseId);
        return (kari, householdId);
    }

    /// <summary>200 once the look-up can answer (the circuit may still be resting after another test's outage).</summary>
    [Fact]
    public async Task Amounts_are_withheld_from_a_worker_whose_consents_do_not_name_economy_and_the_answer_says_so()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        using var kari = system.Client("oppvekst", subject: "kari-" + suffix);
        using var ola = system.Client("oppvekst", subject: "ola-" + suffix);
        var (caseId, householdId) = await BenefitsSystem.OpenCase(kari);
        var mother = SyntheticIdentityNumbers.Adult();
        await system.SetBenefits(mother, new { type = "bostøtte", belopPerManed = 3100.00m, fom = "2026-01-01", tom = (string?)null });
        var motherId = await BenefitsSystem.AddMember(kari, caseId, "Mor", "parent", mother);
        await GiveConsent(kari, caseId, motherId, ["coordination", "benefit-coordination"], ["needs", "family"]);
        await ConsentsKnownInBenefits(caseId, 1);

        var withheld = await EventuallyOk(ola, householdId);
        withheld.GetProperty("withheld").EnumerateArray().Select(c => c.GetString()!).ToList().ShouldBe(Economy);
        var benefit = withheld.GetProperty("members").EnumerateArray().Single().GetProperty("benefits").EnumerateArray().ShouldHaveSingleItem();
        benefit.GetProperty("type").GetString().ShouldBe("bostøtte", "the benefit's kind is not economy; its amount is");
        benefit.GetProperty("monthlyAmount").ValueKind.ShouldBe(JsonValueKind.Null);
        withheld.GetRawText().ShouldNotContain("3100");

        var lead = await EventuallyOk(kari, householdId);
        lead.GetProperty("withheld").GetArrayLength().ShouldBe(0, "the lead coordinator is not bound by the consent's categories");
        lead.GetProperty("members")[0].GetProperty("benefits")[0].GetProperty("monthlyAmount").GetDecimal().ShouldBe(3100.00m);

        await GiveConsent(kari, caseId, motherId, ["benefit-coordination"], ["economy"]);
        await ConsentsKnownInBenefits(caseId, 2);
        var shown = await EventuallyOk(ola, householdId);
        shown.GetProperty("withheld").GetArrayLength().ShouldBe(0);
        shown.GetProperty("members")[0].GetProperty("benefits")[0].GetProperty("monthlyAmount").GetDecimal().ShouldBe(3100.00m);
    }

    private static async Task GiveConsent(HttpClient worker, Guid caseId, Guid person, string[] purposes, string[] dataCategories)
    {
        var response = await worker.PostAsJsonAsync($"/api/cases/{caseId}/consents",
            new { personId = person, givenByPersonId = person, sectors = Oppvekst, purposes, dataCategories });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private Task ConsentsKnownInBenefits(Guid caseId, long count) =>
        Eventually.True(async () => await system.Database("benefits").Scalar<long>(
            "SELECT count(*) FROM access.case_consents WHERE case_id = @c", ("c", caseId)) == count, what: "the consents to reach benefits");

    private static Task<JsonElement> EventuallyOk(HttpClient client, Guid householdId) =>
        Eventually.Get(async () =>
        {
            var response = await client.GetAsync(Path(householdId));
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
        }, b => b.ValueKind == JsonValueKind.Object, within: TimeSpan.FromSeconds(45), what: "the household's benefits");

    private static async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> Timed(Func<Task<HttpResponseMessage>> call)
    {
        var watch = Stopwatch.StartNew();
        var response = await call();
        return (response, watch.Elapsed);
    }

    private static async Task<JsonElement> ShouldBeUnavailable(HttpResponseMessage response, string[] reasons)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        response.Headers.RetryAfter.ShouldNotBeNull();
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        problem.GetProperty("reason").GetString().ShouldBeOneOf(reasons);
        if (problem.GetProperty("reason").GetString()!.StartsWith("benefit-system", StringComparison.Ordinal))
        {
            problem.GetProperty("title").GetString().ShouldBe("The benefit system is unavailable.");
        }
        text.ShouldNotContain("   at ");
        return problem;
    }
}

internal static class ClientSubjects
{
    /// <summary>The subject of the worker token a test client carries.</summary>
    public static string Subject(this HttpClient client) =>
        new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(client.DefaultRequestHeaders.Authorization!.Parameter).Subject;
}
