using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Cases;

/// <summary>A caseworker's case from referral to closing and reopening, through the gateway over the real database and broker.</summary>
[Collection(SystemCollection.Name)]
public sealed class CaseWorkflowTests(SystemFixture system)
{
    private static readonly string[] Oppvekst = ["oppvekst"];
    private static readonly string[] Coordination = ["coordination"];
    private static readonly string[] School = ["school"];

    [Fact]
    public async Task A_case_goes_from_referral_through_consent_to_active_closed_and_reopened()
    {
        using var kari = system.Client("oppvekst", "caseworker", subject: "kari-workflow");
        var caseId = await CaseClient.Open(kari, "Familien Berg", referral: new { source = "helse-velferd", reason = "Helsesøster er bekymret for søvnen." });
        var motherNumber = IdentityNumbers.Adult();
        var mother = (await CaseClient.AddMember(kari, caseId, "Mona Berg", "guardian", identityNumber: motherNumber)).GetProperty("personId").GetGuid();
        var sara = await CaseClient.AddMember(kari, caseId, "Sara Berg", "child", new DateOnly(2017, 3, 14), guardians: [mother]);
        var saraId = sara.GetProperty("personId").GetGuid();
        sara.GetProperty("guardians").EnumerateArray().Select(g => g.GetGuid()).ShouldBe([mother]);

        // Active needs a consent first: a 409 that names where the case is.
        (await CaseClient.Move(kari, caseId, "intake")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var tooEarly = await CaseClient.Move(kari, caseId, "active");
        tooEarly.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await tooEarly.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldStartWith("The case is intake;");

        await CaseClient.Consent(kari, caseId, mother);
        await CaseClient.Consent(kari, caseId, saraId, givenBy: mother);
        (await kari.PostAsJsonAsync($"/api/cases/{caseId}/goals", new { text = "Sara sover hele natten.", proposedBy = "family" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await kari.PostAsJsonAsync($"/api/cases/{caseId}/resources", new { text = "Mormor bor i nærheten.", saidBy = "Mor" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await kari.PostAsJsonAsync($"/api/cases/{caseId}/needs", new { text = "Hjelp til leggerutiner.", saidBy = "Mor" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await CaseClient.Move(kari, caseId, "active", "Samtykke er gitt.")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var read = await CaseClient.Read(kari, $"/api/cases/{caseId}");
        read.GetProperty("status").GetString().ShouldBe("active");
        read.GetProperty("referral").GetProperty("source").GetString().ShouldBe("helse-velferd");
        read.GetProperty("needs").GetArrayLength().ShouldBe(2);
        read.GetProperty("resources")[0].GetProperty("text").GetString().ShouldBe("Mormor bor i nærheten.");
        read.GetProperty("goals")[0].GetProperty("status").GetString().ShouldBe("agreed");
        read.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("role").GetString()).ShouldBe(["guardian", "child"]);
        read.ToString().ShouldNotContain(motherNumber[6..], customMessage: "the identity number is never answered back");

        // Closing needs two steps, each with its reason; closed refuses new content until reopened.
        (await CaseClient.Move(kari, caseId, "closed")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await CaseClient.Move(kari, caseId, "closing", "Målene er nådd.")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CaseClient.Move(kari, caseId, "closed", "Familien klarer seg selv.")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var onClosed = await kari.PostAsJsonAsync($"/api/cases/{caseId}/needs", new { text = "Noe nytt." });
        onClosed.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await CaseClient.Move(kari, caseId, "active", "Familien tok kontakt igjen.")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var history = await CaseClient.Read(kari, $"/api/cases/{caseId}/status-history");
        history.EnumerateArray().Select(h => $"{h.GetProperty("from").GetString()}->{h.GetProperty("to").GetString()}")
            .ShouldBe(["referred->intake", "intake->active", "active->closing", "closing->closed", "closed->active"]);

        var timeline = await CaseClient.Read(kari, $"/api/cases/{caseId}/timeline?limit=100");
        var kinds = timeline.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("kind").GetString()).ToList();
        kinds[0].ShouldBe("status-changed", "newest first");
        kinds.ShouldContain("case-opened");
        kinds.ShouldContain("member-added");
        kinds.ShouldContain("consent-given");
        kinds.ShouldContain("goal-agreed");
        kinds.Count(k => k == "status-changed").ShouldBe(5);

        // In the database: the number only encrypted and hashed, nowhere in events, the reads and writes access-logged.
        var cases = system.Database("cases");
        (await cases.Scalar<long>("SELECT count(*) FROM cases.persons WHERE identity_number_encrypted IS NOT NULL AND position(convert_to(@n, 'UTF8') IN identity_number_encrypted) = 0 AND id = @p",
            ("n", motherNumber), ("p", mother))).ShouldBe(1);
        (await cases.Scalar<long>("SELECT count(*) FROM messaging.outbox WHERE body::text LIKE '%' || @n || '%'", ("n", motherNumber))).ShouldBe(0);
        (await cases.Scalar<long>("SELECT count(*) FROM cases.timeline WHERE summary LIKE '%Sara%' OR summary LIKE '%Mona%'")).ShouldBe(0);
        (await cases.Scalar<long>("SELECT count(*) FROM access.access_log WHERE case_id = @c AND person_id = @p AND action = 'read'", ("c", caseId), ("p", saraId))).ShouldBeGreaterThan(0);
        (await cases.Scalar<long>("SELECT count(*) FROM access.access_log WHERE case_id = @c AND person_id = @p AND action = 'create'", ("c", caseId), ("p", saraId))).ShouldBe(2, "added, and consented for");
    }

    [Fact]
    public async Task A_consent_is_never_edited_only_withdrawn_once_and_its_history_kept()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var caseId = await CaseClient.Open(kari);
        var mona = await CaseClient.AddAdult(kari, caseId);
        var first = await CaseClient.Consent(kari, caseId, mona);

        var withdrawn = await kari.PostAsJsonAsync($"/api/cases/{caseId}/consents/{first}/withdrawal", new { reason = "Vil dele mer." });
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await withdrawn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString().ShouldBe("withdrawn");
        var again = await kari.PostAsJsonAsync($"/api/cases/{caseId}/consents/{first}/withdrawal", new { reason = "En gang til." });
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var second = await CaseClient.Consent(kari, caseId, mona, null, "oppvekst", "nav");

        var history = await CaseClient.Read(kari, $"/api/cases/{caseId}/consents");
        history.EnumerateArray().Select(c => (c.GetProperty("id").GetGuid(), c.GetProperty("state").GetString()))
            .ShouldBe([(second, "valid"), (first, "withdrawn")]);
        // And the database refuses an edit even from someone who bypasses the service.
        var edit = await Should.ThrowAsync<Npgsql.PostgresException>(() =>
            system.Database("cases").Scalar<long>("UPDATE cases.consents SET sectors = '{kultur}' WHERE id = @id", ("id", second)));
        edit.MessageText.ShouldContain("never edited");
    }

    [Fact]
    public async Task Only_a_guardian_consents_for_a_child_under_15_and_a_15_year_old_consents_alone()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var caseId = await CaseClient.Open(kari);
        var mother = await CaseClient.AddAdult(kari, caseId);
        var uncle = (await CaseClient.AddMember(kari, caseId, "Onkel", "other-adult", new DateOnly(1980, 5, 5))).GetProperty("personId").GetGuid();
        var child = (await CaseClient.AddMember(kari, caseId, "Liten", "child", identityNumber: IdentityNumbers.Child(9), guardians: [mother])).GetProperty("personId").GetGuid();
        var youth = (await CaseClient.AddMember(kari, caseId, "Ungdom", "youth", identityNumber: IdentityNumbers.Child(16), guardians: [mother])).GetProperty("personId").GetGuid();

        (await Give(child, uncle)).ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Give(child, child)).ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Give(child, mother)).ShouldBe(HttpStatusCode.Created);
        (await Give(youth, mother)).ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Give(youth, youth)).ShouldBe(HttpStatusCode.Created);
        (await Give(Guid.NewGuid(), mother)).ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await system.Database("cases").Scalar<long>("SELECT count(*) FROM cases.consents WHERE case_id = @c", ("c", caseId))).ShouldBe(2);

        async Task<HttpStatusCode> Give(Guid person, Guid givenBy) =>
            (await kari.PostAsJsonAsync($"/api/cases/{caseId}/consents", new
            {
                personId = person, givenByPersonId = givenBy, sectors = Oppvekst, purposes = Coordination, dataCategories = School,
            })).StatusCode;
    }

    [Fact]
    public async Task A_guardian_recorded_after_the_child_may_consent_for_it()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var caseId = await CaseClient.Open(kari);
        var child = (await CaseClient.AddMember(kari, caseId, "Liten", "child", new DateOnly(2019, 4, 1))).GetProperty("personId").GetGuid();
        var father = await CaseClient.AddAdult(kari, caseId, "Far");
        var consent = new { personId = child, givenByPersonId = father, sectors = Oppvekst, purposes = Coordination, dataCategories = School };
        (await kari.PostAsJsonAsync($"/api/cases/{caseId}/consents", consent)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        (await kari.PostAsJsonAsync($"/api/cases/{caseId}/members/{child}/guardians", new { guardianId = father })).StatusCode.ShouldBe(HttpStatusCode.Created);

        (await kari.PostAsJsonAsync($"/api/cases/{caseId}/members/{child}/guardians", new { guardianId = father })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await kari.PostAsJsonAsync($"/api/cases/{caseId}/members/{child}/guardians", new { guardianId = child })).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await kari.PostAsJsonAsync($"/api/cases/{caseId}/members/{Guid.NewGuid()}/guardians", new { guardianId = father })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await kari.PostAsJsonAsync($"/api/cases/{caseId}/members/{child}/guardians", new { })).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await kari.PostAsJsonAsync($"/api/cases/{caseId}/consents", consent)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await CaseClient.Read(kari, $"/api/cases/{caseId}")).GetProperty("members").EnumerateArray()
            .Single(m => m.GetProperty("personId").GetGuid() == child).GetProperty("guardians")[0].GetGuid().ShouldBe(father);
    }

    [Fact]
    public async Task A_person_known_by_their_number_has_a_record_in_each_household_and_is_found_by_lookup()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        using var nora = system.Client("kultur", "caseworker");
        var number = IdentityNumbers.Adult();
        var mothersCase = await CaseClient.Open(kari, "Familien Vik");
        var fathersCase = await CaseClient.Open(kari, "Familien Dahl");
        var first = await CaseClient.AddMember(kari, mothersCase, "Jonas Dahl", "parent", identityNumber: number);
        first.GetProperty("alsoInOtherHousehold").GetBoolean().ShouldBeFalse();

        var second = await CaseClient.AddMember(kari, fathersCase, "Jonas D.", "guardian", identityNumber: number);

        second.GetProperty("personId").GetGuid().ShouldNotBe(first.GetProperty("personId").GetGuid(), "each household keeps its own record");
        second.GetProperty("alsoInOtherHousehold").GetBoolean().ShouldBeTrue();
        second.GetProperty("name").GetString().ShouldBe("Jonas D.", "as this household recorded the person");
        (await kari.PostAsJsonAsync($"/api/cases/{fathersCase}/members", new { name = "Jonas", role = "parent", identityNumber = number }))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var found = await kari.PostAsJsonAsync("/api/cases/persons/lookup", new { identityNumber = number });
        found.StatusCode.ShouldBe(HttpStatusCode.OK);
        var known = await found.Content.ReadFromJsonAsync<JsonElement>();
        known.GetProperty("cases").EnumerateArray().Select(c => (c.GetProperty("caseId").GetGuid(), c.GetProperty("personId").GetGuid())).Order()
            .ShouldBe(new[] { (mothersCase, first.GetProperty("personId").GetGuid()), (fathersCase, second.GetProperty("personId").GetGuid()) }.Order());
        known.ToString().ShouldNotContain(number[6..]);

        (await nora.PostAsJsonAsync("/api/cases/persons/lookup", new { identityNumber = number })).StatusCode.ShouldBe(HttpStatusCode.NotFound, "known, but not to kultur");
        (await kari.PostAsJsonAsync("/api/cases/persons/lookup", new { identityNumber = IdentityNumbers.Adult() })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await system.Database("cases").Scalar<long>("SELECT count(*) FROM access.access_log WHERE person_id = @p AND purpose = 'identity number lookup'",
            ("p", first.GetProperty("personId").GetGuid()))).ShouldBe(2, "both lookups that found the person are logged");
    }

    [Fact]
    public async Task The_same_number_added_at_once_in_two_households_gets_a_record_in_each_and_the_second_sees_the_first()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var number = IdentityNumbers.Adult();
        var cases = new[] { await CaseClient.Open(kari, "Familien En"), await CaseClient.Open(kari, "Familien To") };

        var added = await Task.WhenAll(cases.Select(c => CaseClient.AddMember(kari, c, "Jon", "parent", identityNumber: number)));

        added.Select(a => a.GetProperty("personId").GetGuid()).Distinct().Count().ShouldBe(2);
        added.Count(a => a.GetProperty("alsoInOtherHousehold").GetBoolean()).ShouldBe(1);
        foreach (var caseId in cases)
        {
            (await CaseClient.Read(kari, $"/api/cases/{caseId}")).GetProperty("members")[0].GetProperty("alsoInOtherHousehold").GetBoolean().ShouldBeTrue();
        }
    }

    [Fact]
    public async Task A_new_case_for_a_known_household_shares_its_members()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        using var nora = system.Client("kultur", "caseworker");
        var first = await CaseClient.Open(kari, "Familien Lie");
        await CaseClient.AddAdult(kari, first, "Lise Lie");
        var householdId = (await CaseClient.Read(kari, $"/api/cases/{first}")).GetProperty("householdId").GetGuid();

        var second = await CaseClient.Open(kari, "", householdId: householdId);

        var read = await CaseClient.Read(kari, $"/api/cases/{second}");
        read.GetProperty("householdName").GetString().ShouldBe("Familien Lie");
        read.GetProperty("members").EnumerateArray().Single().GetProperty("name").GetString().ShouldBe("Lise Lie");
        var outsider = await nora.PostAsJsonAsync("/api/cases", new { householdId, need = new { text = "hjelp" } });
        outsider.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await outsider.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("householdId", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task The_database_knows_the_same_lifecycle_and_refuses_an_illegal_move_itself()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var caseId = await CaseClient.Open(kari);
        var database = system.Database("cases");

        var stored = await database.Scalar<string>("SELECT string_agg(from_status || '->' || to_status, ',' ORDER BY from_status, to_status) FROM cases.status_transitions");
        var code = Samskaping.Cases.Cases.CaseLifecycle.Transitions
            .SelectMany(t => t.Value.Select(to => $"{Samskaping.Cases.Cases.Case.StatusName(t.Key)}->{Samskaping.Cases.Cases.Case.StatusName(to)}"))
            .Order(StringComparer.Ordinal);
        stored!.Split(',').ShouldBe(code);
        var refused = await Should.ThrowAsync<Npgsql.PostgresException>(() =>
            database.Scalar<long>("UPDATE cases.cases SET status = 'closing' WHERE id = @c", ("c", caseId)));
        refused.MessageText.ShouldContain("illegal case status transition referred -> closing");
    }

    [Fact]
    public async Task Two_workers_moving_the_same_case_at_once_make_one_move()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var caseId = await CaseClient.Open(kari);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => CaseClient.Move(kari, caseId, "intake")));

        answers.Count(a => a.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.Conflict).ShouldBe(5);
        (await system.Database("cases").Scalar<long>("SELECT count(*) FROM cases.status_changes WHERE case_id = @c", ("c", caseId))).ShouldBe(1);
    }
}
