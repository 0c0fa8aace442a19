using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Samskaping.Grants.Letters;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Grants;

/// <summary>The grants service on a fake clock, so a decision can be weeks old when its appeal arrives.</summary>
public sealed class FakeClockGrantsFixture : GrantsFixture
{
    public FakeTimeProvider FakeClock { get; } = new(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

    protected override TimeProvider? Clock => FakeClock;

    public DateOnly Today => NorwegianCalendar.DayOf(FakeClock.GetUtcNow());
}

[CollectionDefinition(Name)]
public sealed class AppealsCollection : ICollectionFixture<FakeClockGrantsFixture>
{
    public const string Name = "Grants appeals";
}

[Collection(AppealsCollection.Name)]
public sealed class AppealTests(FakeClockGrantsFixture grants)
{
    private async Task<(Guid CaseId, Guid FundId, Guid GrantId, HttpClient Kari)> Refused(decimal amount = 900m)
    {
        var fund = (await grants.CreateFund(budget: 10_000m, threshold: 5_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        var kari = grants.Client("oppvekst", "caseworker", "kari-appeals");
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fund, amount))).GetProperty("id").GetGuid();
        var declined = await kari.PostAsJsonAsync($"/api/grants/grants/{grantId}/decline", new { reason = "Fondet dekker ikke utstyr." });
        declined.StatusCode.ShouldBe(HttpStatusCode.OK, await declined.Content.ReadAsStringAsync());
        return (caseId, fund, grantId, kari);
    }

    internal static async Task<JsonElement> Register(HttpClient client, Guid grantId, DateOnly receivedOn, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await client.PostAsJsonAsync($"/api/grants/grants/{grantId}/appeals",
            new { receivedOn, appellant = "Mona Berg (mor)", text = "Sara trenger fotballsko for å kunne være med på laget. Vi har ikke råd selv." });
        response.StatusCode.ShouldBe(expected, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    internal static async Task<JsonElement[]> Letters(HttpClient client, Guid grantId) =>
        (await client.GetFromJsonAsync<JsonElement[]>($"/api/grants/grants/{grantId}/letters"))!;

    [Fact]
    public async Task An_appeal_in_time_is_registered_with_the_letters_deadline_waits_in_my_work_and_is_announced()
    {
        var (caseId, _, grantId, kari) = await Refused();
        using var _ = kari;
        var letter = (await Letters(kari, grantId)).ShouldHaveSingleItem();

        var appeal = await Register(kari, grantId, grants.Today);

        appeal.GetProperty("late").GetBoolean().ShouldBeFalse();
        appeal.GetProperty("status").GetString().ShouldBe("received");
        appeal.GetProperty("deadline").GetString().ShouldBe(letter.GetProperty("appealDeadline").GetString());
        appeal.GetProperty("letterId").GetGuid().ShouldBe(letter.GetProperty("id").GetGuid());
        appeal.GetProperty("text").GetString()!.ShouldStartWith("Sara trenger fotballsko");
        var appealId = appeal.GetProperty("id").GetGuid();
        (await grants.Events("AppealReceived", "appealId", appealId)).ShouldBe(1);
        var waiting = (await kari.GetFromJsonAsync<JsonElement[]>("/api/grants/appeals/waiting"))!;
        waiting.ShouldContain(a => a.GetProperty("id").GetGuid() == appealId);
        using var outsider = grants.Client("kultur", "caseworker", "kultur-appeals");
        (await outsider.GetFromJsonAsync<JsonElement[]>("/api/grants/appeals/waiting"))!.ShouldNotContain(a => a.GetProperty("caseId").GetGuid() == caseId);
        (await outsider.GetAsync($"/api/grants/appeals/{appealId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Register(kari, grantId, grants.Today, HttpStatusCode.Conflict)).GetProperty("title").GetString().ShouldBe("An appeal on this decision is open already.");
    }

    [Fact]
    public async Task An_appeal_received_after_the_deadline_is_flagged_late()
    {
        var (_, _, grantId, kari) = await Refused();
        using var _ = kari;
        var deadline = DateOnly.Parse((await Letters(kari, grantId)).Single().GetProperty("appealDeadline").GetString()!);
        grants.FakeClock.Advance(TimeSpan.FromDays(deadline.DayNumber - grants.Today.DayNumber + 1));

        var appeal = await Register(kari, grantId, deadline.AddDays(1));

        appeal.GetProperty("late").GetBoolean().ShouldBeTrue();
        (await grants.Database.Scalar<bool>(
            "SELECT (body ->> 'late')::boolean FROM messaging.outbox WHERE message_type = 'Samskaping.Contracts.Grants.AppealReceived' AND body ->> 'appealId' = @a",
            ("a", appeal.GetProperty("id").GetGuid().ToString()))).ShouldBeTrue();
    }

    [Fact]
    public async Task Reversing_a_refusal_on_appeal_approves_the_grant_with_a_new_letter_that_replaces_the_refusal()
    {
        var (_, fund, grantId, kari) = await Refused(amount: 900m);
        using var _ = kari;
        var appealId = (await Register(kari, grantId, grants.Today)).GetProperty("id").GetGuid();
        var key = Guid.NewGuid().ToString();

        var reversed = await GrantsFixture.Post(kari, $"/api/grants/appeals/{appealId}/reverse", new { reason = "Klagen viser at skoene trengs for at Sara kan være med på laget." }, key);
        var again = await GrantsFixture.Post(kari, $"/api/grants/appeals/{appealId}/reverse", new { reason = "Klagen viser at skoene trengs for at Sara kan være med på laget." }, key);

        reversed.StatusCode.ShouldBe(HttpStatusCode.OK, await reversed.Content.ReadAsStringAsync());
        again.StatusCode.ShouldBe(HttpStatusCode.OK, "the same key replays the first answer");
        var appeal = await reversed.Content.ReadFromJsonAsync<JsonElement>();
        appeal.GetProperty("status").GetString().ShouldBe("reversed");
        var letters = await Letters(kari, grantId);
        letters.Length.ShouldBe(2);
        var (refusal, grant) = (letters[0], letters[1]);
        grant.GetProperty("id").GetGuid().ShouldBe(appeal.GetProperty("newLetterId").GetGuid());
        grant.GetProperty("outcome").GetString().ShouldBe("innvilget");
        grant.GetProperty("replacesLetterId").GetGuid().ShouldBe(refusal.GetProperty("id").GetGuid());
        refusal.GetProperty("replacedByLetterId").GetGuid().ShouldBe(grant.GetProperty("id").GetGuid());
        (await kari.GetFromJsonAsync<JsonElement>($"/api/grants/grants/{grantId}")).GetProperty("status").GetString().ShouldBe("approved");
        (await grants.Balances(fund)).Reserved.ShouldBe(900m);
        (await grants.Events("DecisionLetterIssued", "grantId", grantId)).ShouldBe(2);
        (await grants.Events("GrantApproved", "grantId", grantId)).ShouldBe(1);
        (await grants.Events("AppealDecided", "appealId", appealId)).ShouldBe(1);
        (await grants.Database.Scalar<string>(
            "SELECT body ->> 'replacesLetterId' FROM messaging.outbox WHERE message_type = 'Samskaping.Contracts.Grants.DecisionLetterIssued' AND body ->> 'letterId' = @l",
            ("l", grant.GetProperty("id").GetString()!))).ShouldBe(refusal.GetProperty("id").GetString());
        var pdf = await kari.GetByteArrayAsync($"/api/grants/letters/{grant.GetProperty("id").GetGuid()}");
        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        var text = string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        text.ShouldContain($"erstatter vedtaket av {NorwegianFormat.Date(NorwegianCalendar.DayOf(refusal.GetProperty("issuedAt").GetDateTimeOffset()))}");
        text.ShouldContain("Klagen viser at skoene trengs");
        (await kari.GetFromJsonAsync<JsonElement[]>("/api/grants/appeals/waiting"))!.ShouldNotContain(a => a.GetProperty("id").GetGuid() == appealId);
        await grants.AssertLedgerConsistent();
    }

    [Fact]
    public async Task A_forwarded_appeal_waits_for_statsforvalteren_whose_outcome_is_recorded_once()
    {
        var (_, _, grantId, kari) = await Refused();
        using var _ = kari;
        var appealId = (await Register(kari, grantId, grants.Today)).GetProperty("id").GetGuid();

        var early = await kari.PostAsJsonAsync($"/api/grants/appeals/{appealId}/outcome", new { outcome = "upheld", decidedOn = grants.Today });
        var forwarded = await kari.PostAsJsonAsync($"/api/grants/appeals/{appealId}/forward", new { note = "Kommunen opprettholder vedtaket." });
        var stillWaiting = (await kari.GetFromJsonAsync<JsonElement[]>("/api/grants/appeals/waiting"))!;
        var outcome = await kari.PostAsJsonAsync($"/api/grants/appeals/{appealId}/outcome", new { outcome = "upheld", decidedOn = grants.Today, note = "Stadfestet." });
        var twice = await kari.PostAsJsonAsync($"/api/grants/appeals/{appealId}/outcome", new { outcome = "changed", decidedOn = grants.Today });

        early.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        forwarded.StatusCode.ShouldBe(HttpStatusCode.OK, await forwarded.Content.ReadAsStringAsync());
        stillWaiting.Single(a => a.GetProperty("id").GetGuid() == appealId).GetProperty("status").GetString().ShouldBe("forwarded");
        outcome.StatusCode.ShouldBe(HttpStatusCode.OK, await outcome.Content.ReadAsStringAsync());
        (await outcome.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString().ShouldBe("upheld");
        twice.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await grants.Events("AppealDecided", "appealId", appealId)).ShouldBe(2);
        (await Letters(kari, grantId)).ShouldHaveSingleItem("forwarding and an upheld decision write no new letter");
    }

    [Fact]
    public async Task Bad_appeal_input_is_answered_with_problem_details()
    {
        var fund = (await grants.CreateFund(budget: 10_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari-appeals-bad");
        var requested = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fund, 300m))).GetProperty("id").GetGuid();
        var (_, _, refused, other) = await Refused();
        using var __ = other;
        var appealId = (await Register(kari, refused, grants.Today)).GetProperty("id").GetGuid();

        (await Register(kari, requested, grants.Today, HttpStatusCode.Conflict)).GetProperty("title").GetString().ShouldBe("The grant has no decision to appeal.");
        (await kari.PostAsJsonAsync($"/api/grants/grants/{refused}/appeals", new { receivedOn = grants.Today.AddDays(2), appellant = "Mor", text = "x" }))
            .StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await kari.PostAsJsonAsync($"/api/grants/grants/{refused}/appeals", new { receivedOn = "i går", appellant = "Mor", text = "x" }))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var blank = await kari.PostAsJsonAsync($"/api/grants/grants/{refused}/appeals", new { receivedOn = grants.Today, appellant = " ", text = "" });
        blank.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var errors = (await blank.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.TryGetProperty("appellant", out _).ShouldBeTrue();
        errors.TryGetProperty("text", out _).ShouldBeTrue();
        (await GrantsFixture.Post(kari, $"/api/grants/appeals/{appealId}/reverse", new { amount = 100m })).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await GrantsFixture.Post(kari, $"/api/grants/appeals/{appealId}/reverse", new { reason = "Ja.", amount = 5_000m })).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await kari.PostAsJsonAsync($"/api/grants/appeals/{appealId}/reverse", new { reason = "Ja." })).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "no Idempotency-Key");
        (await kari.PostAsJsonAsync($"/api/grants/appeals/{appealId}/outcome", new { outcome = "maybe", decidedOn = grants.Today })).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await GrantsFixture.Post(kari, $"/api/grants/appeals/{Guid.CreateVersion7()}/reverse", new { reason = "Ja." })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await kari.PostAsJsonAsync($"/api/grants/appeals/{appealId}/forward", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await GrantsFixture.Post(kari, $"/api/grants/appeals/{appealId}/reverse", new { reason = "Ja." })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }
}
