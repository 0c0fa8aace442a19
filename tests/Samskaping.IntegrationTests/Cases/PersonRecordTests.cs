using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Cases;

/// <summary>
/// Each household keeps its own record of a person (docs/security.md, Cases): adding someone by an identity number
/// that another sector's case already holds tells the caller only that the person is in another household too —
/// never that household's name, birth date or person id, and nothing it recorded is taken over.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class PersonRecordTests(SystemFixture system)
{
    [Fact]
    public async Task A_number_known_in_a_case_the_caller_may_not_see_gives_the_caller_a_record_of_their_own()
    {
        using var kari = system.Client("oppvekst", "caseworker", "kari-records");
        using var hilde = system.Client("helse-velferd", "caseworker", "hilde-records");
        var number = IdentityNumbers.Adult();
        var theirs = "Oppvekstnavn " + Guid.NewGuid().ToString("N")[..6];
        var mine = "Helsenavn " + Guid.NewGuid().ToString("N")[..6];
        var oppvekstCase = await CaseClient.Open(kari, "Familien Oppvekst");
        var oppvekstRecord = (await CaseClient.AddMember(kari, oppvekstCase, theirs, "parent", identityNumber: number)).GetProperty("personId").GetGuid();
        var helseCase = await CaseClient.Open(hilde, "Familien Helse");

        var added = await CaseClient.AddMember(hilde, helseCase, mine, "guardian", identityNumber: number);

        var helseRecord = added.GetProperty("personId").GetGuid();
        helseRecord.ShouldNotBe(oppvekstRecord, "another household's person id would let the caller probe its case");
        added.GetProperty("name").GetString().ShouldBe(mine, "the caller's own input is kept, not another sector's");
        added.GetProperty("alsoInOtherHousehold").GetBoolean().ShouldBeTrue("that the person is in another household may be told");
        var view = await CaseClient.Read(hilde, $"/api/cases/{helseCase}");
        var member = view.GetProperty("members").EnumerateArray().ShouldHaveSingleItem();
        member.GetProperty("personId").GetGuid().ShouldBe(helseRecord);
        member.GetProperty("name").GetString().ShouldBe(mine);
        member.GetProperty("alsoInOtherHousehold").GetBoolean().ShouldBeTrue();
        var timeline = (await CaseClient.Read(hilde, $"/api/cases/{helseCase}/timeline")).ToString();
        timeline.ShouldContain("also a member of another household");
        foreach (var answer in new[] { added.ToString(), view.ToString(), timeline })
        {
            answer.ShouldNotContain(theirs);
            answer.ShouldNotContain(oppvekstRecord.ToString());
            answer.ShouldNotContain(oppvekstCase.ToString());
        }

        // The search finds the caller's case by the caller's name for the person, not by the other sector's.
        (await CaseClient.Read(hilde, $"/api/cases?q={Uri.EscapeDataString(theirs)}")).GetProperty("items").GetArrayLength().ShouldBe(0);
        (await CaseClient.Read(hilde, $"/api/cases?q={Uri.EscapeDataString(mine)}")).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("id").GetGuid()).ShouldBe([helseCase]);
        // The look-up answers each with their own record; the other sector's case stays unseen.
        (await Lookup(hilde, number)).Select(c => (c.GetProperty("caseId").GetGuid(), c.GetProperty("personId").GetGuid())).ShouldBe([(helseCase, helseRecord)]);
        (await Lookup(kari, number)).Select(c => (c.GetProperty("caseId").GetGuid(), c.GetProperty("personId").GetGuid())).ShouldBe([(oppvekstCase, oppvekstRecord)]);
        // Oppvekst's record is untouched.
        var oppvekstMember = (await CaseClient.Read(kari, $"/api/cases/{oppvekstCase}")).GetProperty("members").EnumerateArray().ShouldHaveSingleItem();
        oppvekstMember.GetProperty("name").GetString().ShouldBe(theirs);
        oppvekstMember.GetProperty("alsoInOtherHousehold").GetBoolean().ShouldBeTrue();
        // HouseholdMemberAdded carried the caller's record: outcomes knows the new member by the caller's person id.
        await Eventually.True(async () => await system.Database("outcomes").Scalar<long>(
            "SELECT count(*) FROM outcomes.household_members WHERE case_id = @c AND person_id = @p", ("c", helseCase), ("p", helseRecord)) == 1,
            what: "outcomes to learn the member from HouseholdMemberAdded");
        (await system.Database("outcomes").Scalar<long>("SELECT count(*) FROM outcomes.household_members WHERE person_id = @p", ("p", oppvekstRecord)))
            .ShouldBe(1, "only oppvekst's own case knows oppvekst's record");
    }

    [Fact]
    public async Task The_privacy_officer_sees_the_history_of_every_household_s_record_of_the_person()
    {
        using var kari = system.Client("oppvekst", "caseworker", "kari-records");
        using var hilde = system.Client("helse-velferd", "caseworker", "hilde-records");
        using var officer = system.Client("oppvekst", "privacy-officer");
        var number = IdentityNumbers.Adult();
        var oppvekstCase = await CaseClient.Open(kari, "Familien Logg");
        var oppvekstRecord = (await CaseClient.AddMember(kari, oppvekstCase, "Mona Logg", "parent", identityNumber: number)).GetProperty("personId").GetGuid();
        var helseCase = await CaseClient.Open(hilde, "Familien Logg 2");
        var helseRecord = (await CaseClient.AddMember(hilde, helseCase, "Mona L.", "parent", identityNumber: number)).GetProperty("personId").GetGuid();

        var history = await CaseClient.Read(officer, $"/api/cases/persons/{oppvekstRecord}/access-log");

        var entries = history.GetProperty("entries").EnumerateArray().ToList();
        entries.ShouldContain(e => e.GetProperty("personId").ValueKind == JsonValueKind.String && e.GetProperty("personId").GetGuid() == helseRecord
            && e.GetProperty("purpose").GetString() == "add household member", "helse-velferd adding its own record of the same person");
        entries.ShouldContain(e => e.GetProperty("personId").ValueKind == JsonValueKind.String && e.GetProperty("personId").GetGuid() == oppvekstRecord);
    }

    [Fact]
    public async Task The_same_number_twice_in_one_household_is_refused_even_at_once()
    {
        var subject = "kari-dobbel-" + Guid.NewGuid().ToString("N")[..8];
        using var kari = system.Client("oppvekst", "caseworker", subject);
        var caseId = await CaseClient.Open(kari, "Familien Dobbel");
        var number = IdentityNumbers.Adult();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            kari.PostAsJsonAsync($"/api/cases/{caseId}/members", new { name = "Jon Dobbel", role = "parent", identityNumber = number })));

        answers.Count(a => a.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.Conflict).ShouldBe(3);
        (await CaseClient.Read(kari, $"/api/cases/{caseId}")).GetProperty("members").GetArrayLength().ShouldBe(1);
        (await system.Database("cases").Scalar<long>("SELECT count(*) FROM cases.persons WHERE created_by = @s", ("s", subject)))
            .ShouldBe(1, "the refused additions left no record behind");
    }

    private static async Task<List<JsonElement>> Lookup(HttpClient client, string number)
    {
        var response = await client.PostAsJsonAsync("/api/cases/persons/lookup", new { identityNumber = number });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cases").EnumerateArray()];
    }
}
