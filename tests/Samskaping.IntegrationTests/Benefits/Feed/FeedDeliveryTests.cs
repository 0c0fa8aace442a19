using System.Text.Json;
using Samskaping.Contracts.Benefits;
using Samskaping.Contracts.Grants;
using Samskaping.IntegrationTests.Cases;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Benefits.Feed;

/// <summary>How delivery copes with what the other side or the family's data does not yet allow.</summary>
[Collection(FeedCollection.Name)]
public sealed class FeedDeliveryTests(FeedSystem system)
{
    private static readonly DateTimeOffset Start = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Without_an_adult_with_an_identity_number_the_feed_waits_and_is_delivered_once_one_is_added()
    {
        var client = system.Cases();
        var caseId = await CaseClient.Open(client, "Familien Venter");
        await Eventually.True(async () =>
            await system.BenefitsDatabase.Scalar<long>("SELECT count(*) FROM access.case_openings WHERE case_id = @c", ("c", caseId)) == 1,
            what: "benefits to learn of the case");
        var (request, approval, plan) = FeedSystem.Grant(caseId, Start);
        await system.PublishGrant((request, approval, plan));

        var waiting = await system.FeedWhen(caseId, f => f.GetProperty("state").GetString() == "waiting-for-applicant" && FeedSystem.Events(f) == 4,
            "the feed to wait for an applicant");
        waiting.GetProperty("digisosId").ValueKind.ShouldBe(JsonValueKind.Null);
        waiting.GetProperty("nextAttemptAt").ValueKind.ShouldBe(JsonValueKind.String);

        await CaseClient.AddAdult(client, caseId, "Mona Venter");
        var delivered = await system.FeedWhen(caseId, FeedSystem.Delivered, "the feed to be delivered once the household has an applicant");
        delivered.GetProperty("digisosId").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_version_the_other_side_refuses_is_not_retried_until_the_document_changes()
    {
        var caseId = await system.OpenCaseWithApplicant();
        var (request, approval, plan) = FeedSystem.Grant(caseId, Start);
        await system.PublishGrant((request, approval, plan));
        var delivered = await system.FeedWhen(caseId, f => FeedSystem.Delivered(f) && FeedSystem.Events(f) == 4, "the first delivery");

        // The other side no longer knows the Digisos case: it answers 404 to the next version.
        await system.BenefitsDatabase.Scalar<int>("UPDATE benefits.feeds SET digisos_id = 'forgotten-by-the-other-side' WHERE case_id = @c", ("c", caseId));
        await system.Publish(new DisbursementPaid(caseId, plan.GrantId, plan.DisbursementId, plan.FundId, plan.Amount, plan.DueOn, "ref", Start.AddDays(7)));
        var refused = await system.FeedWhen(caseId, f => f.GetProperty("state").GetString() == "refused", "the new version to be refused");
        var version = refused.GetProperty("version").GetInt32();
        version.ShouldBeGreaterThan(delivered.GetProperty("version").GetInt32());
        refused.GetProperty("deliveredVersion").GetInt32().ShouldBe(delivered.GetProperty("version").GetInt32());
        refused.GetProperty("lastError").GetString()!.ShouldContain("404");
        refused.GetProperty("nextAttemptAt").ValueKind.ShouldBe(JsonValueKind.Null);
        await Eventually.True(() => Task.FromResult(FeedEvents.Rejected.Any(r =>
                r.CaseId == caseId && r.Version == version && r.Reason == StatusFeedRejections.RefusedByReceiver)),
            what: "StatusFeedRejected (refused-by-receiver)");

        // Not retried: the attempts stay where they are while the document stays the same.
        var attempts = refused.GetProperty("attempts").GetInt32();
        var admin = system.Benefits("oppvekst", "admin");
        var listed = await Eventually.Get(async () => await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<JsonElement>(admin, "/api/benefits/feeds?state=refused"),
            list => list.EnumerateArray().Any(f => f.GetProperty("caseId").GetGuid() == caseId), what: "the refused feed in the operators' list");
        listed.EnumerateArray().First(f => f.GetProperty("caseId").GetGuid() == caseId).GetProperty("attempts").GetInt32().ShouldBe(attempts);
        (await system.BenefitsDatabase.Scalar<int>("SELECT attempts FROM benefits.feeds WHERE case_id = @c", ("c", caseId))).ShouldBe(attempts);
    }
    [Fact]
    public async Task After_an_invalid_version_the_next_valid_version_is_delivered_normally()
    {
        var caseId = await system.OpenCaseWithApplicant();
        var (request, approval, plan) = FeedSystem.Grant(caseId, Start);
        await system.PublishGrant((request, approval, plan));
        var first = await system.FeedWhen(caseId, f => FeedSystem.Delivered(f) && FeedSystem.Events(f) == 4, "the first delivery");

        // The current version stands as invalid (as a defect in the document builder would leave it).
        await system.BenefitsDatabase.Scalar<int>(
            """UPDATE benefits.feeds SET state = 'invalid', validation_errors = '[{"path": "/hendelser/3", "message": "defect"}]' WHERE case_id = @c""",
            ("c", caseId));
        await system.Publish(new DisbursementPaid(caseId, plan.GrantId, plan.DisbursementId, plan.FundId, plan.Amount, plan.DueOn, "ref", Start.AddDays(7)));

        var next = await system.FeedWhen(caseId, f => FeedSystem.Delivered(f) && FeedSystem.Events(f) == 5, "the next valid version to be delivered");
        next.GetProperty("version").GetInt32().ShouldBe(first.GetProperty("version").GetInt32() + 1);
        next.GetProperty("validationErrors").GetArrayLength().ShouldBe(0);
        var received = await system.Received(next.GetProperty("digisosId").GetString()!);
        received["latest"]!["hendelser"]!.AsArray().Count.ShouldBe(5);
    }
    [Fact]
    public async Task Events_that_change_nothing_in_the_document_make_no_new_version()
    {
        var caseId = await system.OpenCaseWithApplicant();
        var (request, approval, plan) = FeedSystem.Grant(caseId, Start);
        await system.PublishGrant((request, approval, plan));
        var first = await system.FeedWhen(caseId, f => FeedSystem.Delivered(f) && FeedSystem.Events(f) == 4, "the first delivery");

        // Re-published (a new message id each, past the inbox) and an event the document does not show.
        var consumers = new[] { "StatusFeedConsumer.GrantRequested", "StatusFeedConsumer.DisbursementPlanned", "StatusFeedConsumer.GrantApproved" };
        var before = await Handled(consumers);
        await system.Publish(request);
        await system.Publish(plan);
        await system.Publish(approval with { ApprovedAt = approval.ApprovedAt.AddMinutes(1) });
        await Eventually.True(async () => (await Handled(consumers)).Zip(before).All(p => p.First > p.Second), what: "the three events to be consumed");
        var unchanged = await system.FeedWhen(caseId, _ => true, "the feed");
        unchanged.GetProperty("version").GetInt32().ShouldBe(first.GetProperty("version").GetInt32());

        await system.Publish(new DisbursementPaid(caseId, plan.GrantId, plan.DisbursementId, plan.FundId, plan.Amount, plan.DueOn, "ref", Start.AddDays(7)));

        var next = await system.FeedWhen(caseId, f => FeedSystem.Delivered(f) && FeedSystem.Events(f) == 5, "the paid version");
        next.GetProperty("version").GetInt32().ShouldBe(first.GetProperty("version").GetInt32() + 1, "only the payment changed the document");
    }

    [Fact]
    public async Task The_applicants_identity_number_reaches_no_log_on_either_side()
    {
        var client = system.Cases();
        var caseId = await CaseClient.Open(client, "Familien Logg");
        var identityNumber = IdentityNumbers.Adult();
        await CaseClient.AddMember(client, caseId, "Mona Logg", "parent", identityNumber: identityNumber);
        await Eventually.True(async () =>
            await system.BenefitsDatabase.Scalar<long>("SELECT count(*) FROM access.case_openings WHERE case_id = @c", ("c", caseId)) == 1,
            what: "benefits to learn of the case");
        var (request, approval, plan) = FeedSystem.Grant(caseId, Start);
        await system.PublishGrant((request, approval, plan));
        await system.FeedWhen(caseId, f => FeedSystem.Delivered(f) && FeedSystem.Events(f) == 4, "the delivery (the Digisos case created with the number)");

        // The capture works (benefits logs the delivery at Information) ...
        await Eventually.True(() => Task.FromResult(system.Logs.Lines.Any(l => l.Contains(caseId.ToString(), StringComparison.Ordinal) && l.Contains("delivered", StringComparison.Ordinal))),
            what: "the delivery's log line");
        // ... and the number that went to /ny?sokerFnr= is in none of the simulator's, cases' or benefits' lines.
        system.Logs.Lines.ShouldNotContain(l => l.Contains(identityNumber, StringComparison.Ordinal));
    }

    private async Task<long[]> Handled(string[] consumers)
    {
        var counts = new long[consumers.Length];
        for (var i = 0; i < consumers.Length; i++)
        {
            counts[i] = await system.BenefitsDatabase.Scalar<long>("SELECT count(*) FROM messaging.inbox WHERE consumer = @c", ("c", consumers[i]));
        }
        return counts;
    }
}
