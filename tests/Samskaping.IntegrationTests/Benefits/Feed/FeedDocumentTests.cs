using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Samskaping.Contracts.Benefits;
using Samskaping.Contracts.Grants;
using Samskaping.Digisos;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Benefits.Feed;

/// <summary>
/// Grants' events on the real bus become a case's status document in the benefits service; it is validated against
/// NAV's schema, delivered to the simulator (which validates it again and answers 202), and shown on the feed endpoint.
/// </summary>
[Collection(FeedCollection.Name)]
public sealed class FeedDocumentTests(FeedSystem system)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_case_with_one_planned_payment_is_delivered_as_a_valid_document()
    {
        var caseId = await system.OpenCaseWithApplicant();
        var (request, approval, plan) = FeedSystem.Grant(caseId, Start);
        await system.PublishGrant((request, approval, plan));

        var (feed, document) = await DeliveredWith(caseId, events: 4);
        Statuses(document).ShouldBe(["soknadsStatus:MOTTATT", "soknadsStatus:UNDER_BEHANDLING", "saksStatus:UNDER_BEHANDLING", "utbetaling:PLANLAGT_UTBETALING"]);
        var payment = document["hendelser"]![3]!;
        payment["utbetalingsreferanse"]!.GetValue<string>().ShouldBe(plan.DisbursementId.ToString());
        payment["saksreferanse"]!.GetValue<string>().ShouldBe(request.GrantId.ToString());
        payment["annenMottaker"]!.GetValue<bool>().ShouldBeFalse();
        payment["kontonummer"]!.GetValue<string>().ShouldBe("12345678903");
        await Eventually.True(() => Task.FromResult(FeedEvents.Delivered.Any(d =>
                d.CaseId == caseId && d.Version == feed.GetProperty("version").GetInt32() && d.Events == 4 && d.DigisosId == feed.GetProperty("digisosId").GetString())),
            what: "StatusFeedDelivered for the delivered version");
    }

    [Fact]
    public async Task A_paid_payment_whose_payment_arrived_before_its_plan_is_delivered_complete()
    {
        var caseId = await system.OpenCaseWithApplicant();
        var (request, approval, plan) = FeedSystem.Grant(caseId, Start);
        // The payment overtakes its plan on the bus: the document waits for the plan rather than break.
        await system.Publish(new DisbursementPaid(caseId, plan.GrantId, plan.DisbursementId, plan.FundId, plan.Amount, plan.DueOn, "bank-ref-1", Start.AddDays(7)));
        await system.PublishGrant((request, approval, plan));

        var (_, document) = await DeliveredWith(caseId, events: 5);
        Statuses(document)[^2..].ShouldBe(["utbetaling:PLANLAGT_UTBETALING", "utbetaling:UTBETALT"]);
        document["hendelser"]![4]!["utbetalingsdato"]!.GetValue<string>().ShouldBe(plan.DueOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_stopped_payment_is_delivered_as_stopped()
    {
        var caseId = await system.OpenCaseWithApplicant();
        var (request, approval, plan) = FeedSystem.Grant(caseId, Start);
        await system.PublishGrant((request, approval, plan));
        await system.Publish(new DisbursementStopped(caseId, plan.GrantId, plan.DisbursementId, plan.FundId, plan.Amount, "case closed", Start.AddDays(2)));

        var (_, document) = await DeliveredWith(caseId, events: 5);
        Statuses(document)[^1].ShouldBe("utbetaling:STOPPET");
    }

    [Fact]
    public async Task A_third_party_payment_says_someone_else_is_paid_and_names_the_organisation()
    {
        var caseId = await system.OpenCaseWithApplicant();
        var (request, approval, plan) = FeedSystem.Grant(caseId, Start, "Treningsavgift", 850m, PayeeKinds.ThirdParty, "9876.54.32109", "974760673");
        await system.PublishGrant((request, approval, plan));

        var (_, document) = await DeliveredWith(caseId, events: 4);
        var payment = document["hendelser"]![3]!;
        payment["annenMottaker"]!.GetValue<bool>().ShouldBeTrue();
        payment["mottaker"]!.GetValue<string>().ShouldBe("974760673");
        payment["kontonummer"]!.GetValue<string>().ShouldBe("98765432109");
        payment["belop"]!.GetValue<decimal>().ShouldBe(850m);
    }

    [Fact]
    public async Task Several_grants_on_one_case_each_have_their_matter_and_unreported_ones_stay_out()
    {
        var caseId = await system.OpenCaseWithApplicant();
        var first = FeedSystem.Grant(caseId, Start, "Fotballsko");
        var second = FeedSystem.Grant(caseId, Start.AddDays(1), "Korpsavgift", 600m);
        var declined = FeedSystem.Grant(caseId, Start.AddDays(2), "Ny mobil", 3000m);
        var unreported = FeedSystem.Grant(caseId, Start.AddDays(3), "Kinobilletter", 200m);
        foreach (var grant in new[] { first, second })
        {
            await system.PublishGrant(grant);
        }
        await system.Publish(declined.Request);
        await system.Publish(new GrantDeclined(caseId, declined.Request.GrantId, declined.Request.FundId, "outside the fund's purpose", "ola", Start.AddDays(2).AddHours(1)));
        await system.Publish(unreported.Request with { ReportToBenefitSystem = false });
        await system.Publish(unreported.Plan with { ReportToBenefitSystem = false });

        // MOTTATT, UNDER_BEHANDLING, 3 matters, 2 payments, 1 decline.
        var (_, document) = await DeliveredWith(caseId, events: 8);
        var matters = document["hendelser"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "saksStatus").Select(e => $"{e!["tittel"]}:{e["status"]}").ToList();
        matters.ShouldBe(["Fotballsko:UNDER_BEHANDLING", "Korpsavgift:UNDER_BEHANDLING", "Ny mobil:UNDER_BEHANDLING", "Ny mobil:BEHANDLES_IKKE"]);
        document.ToJsonString().ShouldNotContain("Kinobilletter");
    }

    [Fact]
    public async Task An_invalid_document_is_kept_with_its_errors_announced_and_not_sent()
    {
        var caseId = await system.OpenCaseWithApplicant();
        var (request, approval, plan) = FeedSystem.Grant(caseId, Start, account: "1234567890");
        await system.PublishGrant((request, approval, plan));

        var feed = await system.FeedWhen(caseId, f => f.GetProperty("state").GetString() == "invalid", "the feed to be invalid");
        feed.GetProperty("validationErrors").EnumerateArray().Select(e => e.GetProperty("path").GetString())
            .ShouldContain("/hendelser/3/kontonummer");
        var version = feed.GetProperty("version").GetInt32();
        // An earlier, valid version (before the payment arrived) may have been delivered; the invalid one never is.
        if (feed.GetProperty("deliveredVersion").ValueKind == JsonValueKind.Number)
        {
            feed.GetProperty("deliveredVersion").GetInt32().ShouldBeLessThan(version);
            var received = await system.Received(feed.GetProperty("digisosId").GetString()!);
            received["receipts"]!.AsArray().ShouldAllBe(r => !r!["document"]!.ToJsonString().Contains("kontonummer"));
        }
        await Eventually.True(() => Task.FromResult(FeedEvents.Rejected.Any(r =>
                r.CaseId == caseId && r.Version == version && r.Reason == StatusFeedRejections.InvalidDocument && r.Detail.Contains("/hendelser/3/kontonummer") && !r.Detail.Contains("1234567890"))),
            what: "StatusFeedRejected (invalid-document) without the account number");

        var admin = await system.Benefits("oppvekst", "admin").GetFromJsonAsync<JsonElement>("/api/benefits/feeds?state=invalid");
        admin.EnumerateArray().ShouldContain(f => f.GetProperty("caseId").GetGuid() == caseId);
        admin.GetRawText().ShouldNotContain("kontonummer\":");
        admin.GetRawText().ShouldNotContain("Mona Feed");
        FeedEvents.Delivered.ShouldNotContain(d => d.CaseId == caseId && d.Version >= version);
        // Logged as an error naming the place, without the account number or the payee.
        var logged = system.Logs.Lines.Where(l => l.Contains(caseId.ToString(), StringComparison.Ordinal) && l.Contains("fails NAV's schema", StringComparison.Ordinal)).ToList();
        logged.ShouldNotBeEmpty();
        logged.ShouldAllBe(l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("/hendelser/3/kontonummer") && !l.Contains("1234567890") && !l.Contains("Mona Feed"));
    }

    [Fact]
    public async Task The_feed_is_404_outside_the_case_the_refusal_and_the_read_are_access_logged()
    {
        var caseId = await system.OpenCaseWithApplicant();
        var (request, approval, plan) = FeedSystem.Grant(caseId, Start);
        await system.PublishGrant((request, approval, plan));
        await system.FeedWhen(caseId, _ => true, "the feed to exist");

        (await system.Benefits("kultur").GetAsync($"/api/benefits/cases/{caseId}/feed")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await system.Benefits().GetAsync($"/api/benefits/cases/{Guid.CreateVersion7()}/feed")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await system.BenefitsDatabase.Scalar<long>(
            "SELECT count(*) FROM access.access_log WHERE case_id = @c AND action = 'read' AND sector = 'oppvekst'", ("c", caseId))).ShouldBeGreaterThan(0);
        // The refusal is recorded for the privacy officer (probing shows), and nothing was read.
        (await system.BenefitsDatabase.Scalar<long>(
            "SELECT count(*) FROM access.access_log WHERE case_id = @c AND sector = 'kultur' AND action = 'refused'", ("c", caseId))).ShouldBe(1);
        (await system.BenefitsDatabase.Scalar<long>(
            "SELECT count(*) FROM access.access_log WHERE case_id = @c AND sector = 'kultur' AND action <> 'refused'", ("c", caseId))).ShouldBe(0);
    }

    [Fact]
    public async Task The_feed_list_is_for_admins_and_says_what_was_wrong_with_a_bad_filter()
    {
        (await system.Benefits().GetAsync("/api/benefits/feeds")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var bad = await system.Benefits("oppvekst", "admin").GetAsync("/api/benefits/feeds?state=lost");
        bad.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("state", out _).ShouldBeTrue();
        (await system.Benefits("oppvekst", "admin").GetAsync("/api/benefits/feeds?limit=0")).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await system.Benefits("oppvekst", "admin").GetAsync("/api/benefits/feeds?limit=many")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await system.Benefits("oppvekst", "admin").GetAsync("/api/benefits/feeds?state=delivered")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>Waits until the feed is delivered with that many events; checks both sides agree on the document and
    /// that both our validator and the simulator's judged it valid.</summary>
    private async Task<(JsonElement Feed, JsonObject Document)> DeliveredWith(Guid caseId, int events)
    {
        var feed = await system.FeedWhen(caseId, f => FeedSystem.Delivered(f) && FeedSystem.Events(f) == events, $"the feed to be delivered with {events} events");
        var document = JsonNode.Parse(feed.GetProperty("document").GetRawText())!.AsObject();
        DigisosDocument.Validate(document).ShouldBeEmpty();

        var received = await system.Received(feed.GetProperty("digisosId").GetString()!);
        var latest = received["latest"]!.AsObject();
        JsonNode.DeepEquals(latest, document).ShouldBeTrue("the simulator's latest document is the one the feed shows");
        DigisosDocument.Validate(latest).ShouldBeEmpty();
        received["fiksOrgId"]!.GetValue<string>().ShouldBe(FeedSystem.FiksOrgId);
        return (feed, document);
    }

    private static List<string> Statuses(JsonObject document) =>
        document["hendelser"]!.AsArray().Select(e => $"{e!["type"]}:{e["status"]}").ToList();
}
