using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Samskaping.Contracts.Cases;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Cases;

/// <summary>
/// Rectification (docs/privacy.md): a correction changes the household's own record, keeps the previous value with who,
/// when and why for the privacy officer, and reaches every service that keeps a copy of the corrected fact once.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class CorrectionTests(SystemFixture system)
{
    [Fact]
    public async Task A_member_s_name_birth_date_number_role_and_guardians_are_corrected_and_the_previous_values_kept()
    {
        using var kari = system.Client("oppvekst", "caseworker", "kari-retting");
        using var officer = system.Client("nav", "privacy-officer", "ombud-retting");
        var caseId = await CaseClient.Open(kari, "Familien Retting");
        var oldNumber = IdentityNumbers.Adult();
        var mother = (await CaseClient.AddMember(kari, caseId, "Mona Retting", "parent", identityNumber: oldNumber)).GetProperty("personId").GetGuid();
        var father = (await CaseClient.AddMember(kari, caseId, "Per Retting", "other-adult", birthDate: new DateOnly(1980, 5, 5))).GetProperty("personId").GetGuid();
        var child = (await CaseClient.AddMember(kari, caseId, "Sara Retting", "child", birthDate: new DateOnly(2017, 3, 3), guardians: [mother]))
            .GetProperty("personId").GetGuid();
        var newNumber = IdentityNumbers.Adult();
        var newBirth = IdentityNumbers.BirthDateOf(newNumber);

        var corrected = await Correct(kari, $"/api/cases/{caseId}/members/{mother}/corrections",
            new { name = "Mona Rettesen", identityNumber = newNumber, reason = "Feil fødselsnummer og etternavn ved registrering." });
        var child1 = await Correct(kari, $"/api/cases/{caseId}/members/{child}/corrections",
            new { birthDate = new DateOnly(2016, 3, 3), role = "youth", guardians = new[] { mother, father }, reason = "Far er også verge." });

        corrected.Select(c => c.GetProperty("field").GetString()).ShouldBe(["member-name", "member-birth-date", "member-identity-number"], ignoreOrder: true);
        child1.Select(c => c.GetProperty("field").GetString()).ShouldBe(["member-birth-date", "member-role", "member-guardians"], ignoreOrder: true);
        var members = (await CaseClient.Read(kari, $"/api/cases/{caseId}")).GetProperty("members").EnumerateArray().ToDictionary(m => m.GetProperty("personId").GetGuid());
        members[mother].GetProperty("name").GetString().ShouldBe("Mona Rettesen");
        members[mother].GetProperty("birthDate").GetString().ShouldBe(newBirth.ToString("yyyy-MM-dd"));
        members[child].GetProperty("role").GetString().ShouldBe("youth");
        members[child].GetProperty("birthDate").GetString().ShouldBe("2016-03-03");
        members[child].GetProperty("guardians").EnumerateArray().Select(g => g.GetGuid()).ShouldBe([mother, father], ignoreOrder: true);

        // The look-up finds the person by the corrected number and no longer by the old one.
        var found = await kari.PostAsJsonAsync("/api/cases/persons/lookup", new { identityNumber = newNumber });
        found.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await found.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cases").EnumerateArray().Single().GetProperty("personId").GetGuid().ShouldBe(mother);
        (await kari.PostAsJsonAsync("/api/cases/persons/lookup", new { identityNumber = oldNumber })).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // The privacy officer sees each previous value, who, when and why; never an identity number.
        var history = await CaseClient.Read(officer, $"/api/cases/persons/{mother}/corrections");
        var text = history.ToString();
        text.ShouldNotContain(oldNumber);
        text.ShouldNotContain(newNumber);
        var entries = history.GetProperty("corrections").EnumerateArray().ToDictionary(c => c.GetProperty("field").GetString()!);
        entries["member-name"].GetProperty("previousValue").GetString().ShouldBe("Mona Retting");
        entries["member-name"].GetProperty("newValue").GetString().ShouldBe("Mona Rettesen");
        entries["member-name"].GetProperty("reason").GetString().ShouldBe("Feil fødselsnummer og etternavn ved registrering.");
        entries["member-name"].GetProperty("correctedBy").GetString().ShouldBe("kari-retting");
        entries["member-name"].GetProperty("correctedBySector").GetString().ShouldBe("oppvekst");
        entries["member-identity-number"].GetProperty("previousValue").ValueKind.ShouldBe(JsonValueKind.Null);
        entries["member-identity-number"].GetProperty("newValue").ValueKind.ShouldBe(JsonValueKind.Null);
        // The previous number stays, sealed, for the person's own export: never in clear in the database.
        (await system.Database("cases").Scalar<long>(
            "SELECT count(*) FROM cases.corrections WHERE person_id = @p AND field = 'member-identity-number' AND previous_identity_number IS NOT NULL", ("p", mother)))
            .ShouldBe(1);
        var childHistory = (await CaseClient.Read(officer, $"/api/cases/persons/{child}/corrections")).GetProperty("corrections").EnumerateArray()
            .ToDictionary(c => c.GetProperty("field").GetString()!);
        childHistory["member-birth-date"].GetProperty("previousValue").GetString().ShouldBe("2017-03-03");
        childHistory["member-role"].GetProperty("previousValue").GetString().ShouldBe("child");
        childHistory["member-guardians"].GetProperty("previousValue").GetString().ShouldBe(mother.ToString());
        // Reading the corrections is a logged read of the person's data.
        (await system.Database("cases").Scalar<long>(
            "SELECT count(*) FROM access.access_log WHERE person_id = @p AND subject = 'ombud-retting' AND action = 'read' AND purpose = 'privacy-review'",
            ("p", mother))).ShouldBe(1);

        // Outcomes' copy (role and birth date, for family type and age band) follows.
        await Eventually.True(async () => await system.Database("outcomes").Scalar<string>(
            "SELECT role || ' ' || birth_date::text FROM outcomes.household_members WHERE person_id = @p", ("p", child)) == "youth 2016-03-03",
            what: "outcomes to apply the child's correction");
        await Eventually.True(async () => await system.Database("outcomes").Scalar<string>(
            "SELECT birth_date::text FROM outcomes.household_members WHERE person_id = @p", ("p", mother)) == newBirth.ToString("yyyy-MM-dd"),
            what: "outcomes to apply the mother's corrected birth date");
    }

    [Fact]
    public async Task The_household_s_name_and_the_family_s_words_are_corrected_and_coordination_s_goal_follows()
    {
        using var kari = system.Client("oppvekst", "caseworker", "kari-ord");
        using var officer = system.Client("oppvekst", "privacy-officer");
        var caseId = await CaseClient.Open(kari, "Familien Ord");
        var view = await CaseClient.Read(kari, $"/api/cases/{caseId}");
        var householdId = view.GetProperty("householdId").GetGuid();
        var need = view.GetProperty("needs").EnumerateArray().Single().GetProperty("id").GetGuid();
        var resource = (await (await kari.PostAsJsonAsync($"/api/cases/{caseId}/resources", new { text = "Mormor kjører.", saidBy = "Mor" }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var goal = (await (await kari.PostAsJsonAsync($"/api/cases/{caseId}/goals", new { text = "Sara trener hver uke.", proposedBy = "family" }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await Eventually.True(async () => await system.Database("coordination").Scalar<long>(
            "SELECT count(*) FROM coordination.goals WHERE id = @g", ("g", goal)) == 1, what: "coordination to learn the goal");

        await Correct(kari, $"/api/cases/{caseId}/household/corrections", new { name = "Familien Orde", reason = "Stavefeil." });
        await Correct(kari, $"/api/cases/{caseId}/needs/{need}/corrections", new { text = "Vi trenger hjelp med matte.", reason = "Mor rettet ordlyden." });
        await Correct(kari, $"/api/cases/{caseId}/resources/{resource}/corrections", new { text = "Morfar kjører.", reason = "Det er morfar." });
        await Correct(kari, $"/api/cases/{caseId}/goals/{goal}/corrections", new { text = "Sara trener to ganger i uka.", reason = "Avtalt annerledes." });

        var after = await CaseClient.Read(kari, $"/api/cases/{caseId}");
        after.GetProperty("householdName").GetString().ShouldBe("Familien Orde");
        after.GetProperty("needs").EnumerateArray().Single().GetProperty("text").GetString().ShouldBe("Vi trenger hjelp med matte.");
        after.GetProperty("resources").EnumerateArray().Single().GetProperty("text").GetString().ShouldBe("Morfar kjører.");
        after.GetProperty("goals").EnumerateArray().Single().GetProperty("text").GetString().ShouldBe("Sara trener to ganger i uka.");
        (await CaseClient.Read(kari, "/api/cases?q=" + Uri.EscapeDataString("familien orde"))).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("id").GetGuid()).ShouldContain(caseId);
        var history = (await CaseClient.Read(officer, $"/api/cases/households/{householdId}/corrections")).GetProperty("corrections").EnumerateArray()
            .ToDictionary(c => c.GetProperty("field").GetString()!, c => (c.GetProperty("previousValue").GetString(), c.GetProperty("newValue").GetString()));
        history["household-name"].ShouldBe(("Familien Ord", "Familien Orde"));
        history["need-text"].ShouldBe(("Vi trenger hjelp med lekser.", "Vi trenger hjelp med matte."));
        history["resource-text"].ShouldBe(("Mormor kjører.", "Morfar kjører."));
        history["goal-text"].ShouldBe(("Sara trener hver uke.", "Sara trener to ganger i uka."));
        (await CaseClient.Read(kari, $"/api/cases/{caseId}/timeline")).ToString().ShouldContain("was corrected");

        await Eventually.True(async () => await system.Database("coordination").Scalar<string>(
            "SELECT text FROM coordination.goals WHERE id = @g", ("g", goal)) == "Sara trener to ganger i uka.", what: "coordination to correct the goal");
    }

    [Fact]
    public async Task A_correction_delivered_twice_applies_once_and_one_arriving_before_the_fact_is_not_undone_by_it()
    {
        var bus = system.Services("cases").GetRequiredService<IBus>();
        var caseId = Guid.NewGuid();
        var householdId = Guid.NewGuid();
        var person = Guid.NewGuid();
        var goal = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var memberMessage = Guid.NewGuid();
        var goalMessage = Guid.NewGuid();
        var corrected = new HouseholdMemberCorrected(caseId, householdId, person, Guid.NewGuid(), CorrectedFields.MemberRole, "youth", new DateOnly(2010, 1, 1),
            false, "kari", now);
        var goalCorrected = new GoalCorrected(caseId, goal, Guid.NewGuid(), "Rettet mål.", "family", "kari", now.AddDays(-1), "kari", now);

        // The corrections first, each twice (a redelivery), then the facts they correct, late.
        await bus.Publish(corrected, c => c.MessageId = memberMessage);
        await bus.Publish(corrected, c => c.MessageId = memberMessage);
        await bus.Publish(goalCorrected, c => c.MessageId = goalMessage);
        await bus.Publish(goalCorrected, c => c.MessageId = goalMessage);
        await Eventually.True(async () => await system.Database("outcomes").Scalar<string>(
            "SELECT role FROM outcomes.household_members WHERE person_id = @p", ("p", person)) == "youth", what: "outcomes to apply the correction");
        await Eventually.True(async () => await system.Database("coordination").Scalar<string>(
            "SELECT text FROM coordination.goals WHERE id = @g", ("g", goal)) == "Rettet mål.", what: "coordination to apply the correction");
        var addedMessage = Guid.NewGuid();
        var agreedMessage = Guid.NewGuid();
        await bus.Publish(new HouseholdMemberAdded(caseId, householdId, person, "child", new DateOnly(2012, 1, 1), false, "kari", now.AddDays(-1)),
            c => c.MessageId = addedMessage);
        await bus.Publish(new GoalAgreed(caseId, goal, "Opprinnelig mål.", "family", "kari", now.AddDays(-1)), c => c.MessageId = agreedMessage);
        await Eventually.True(async () => await system.Database("outcomes").Scalar<long>(
            "SELECT count(*) FROM messaging.inbox WHERE message_id = @m", ("m", addedMessage)) == 1, what: "outcomes to receive the late HouseholdMemberAdded");
        await Eventually.True(async () => await system.Database("coordination").Scalar<long>(
            "SELECT count(*) FROM messaging.inbox WHERE message_id = @m", ("m", agreedMessage)) == 1, what: "coordination to receive the late GoalAgreed");

        (await system.Database("outcomes").Scalar<long>("SELECT count(*) FROM messaging.inbox WHERE message_id = @m", ("m", memberMessage))).ShouldBe(1);
        (await system.Database("coordination").Scalar<long>("SELECT count(*) FROM messaging.inbox WHERE message_id = @m", ("m", goalMessage))).ShouldBe(1);
        (await system.Database("outcomes").Scalar<string>("SELECT role || ' ' || birth_date::text FROM outcomes.household_members WHERE person_id = @p", ("p", person)))
            .ShouldBe("youth 2010-01-01", "the late fact does not put back what was corrected");
        (await system.Database("coordination").Scalar<string>("SELECT text FROM coordination.goals WHERE id = @g", ("g", goal))).ShouldBe("Rettet mål.");
    }

    internal static async Task<List<JsonElement>> Correct(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("corrections").EnumerateArray()];
    }
}
