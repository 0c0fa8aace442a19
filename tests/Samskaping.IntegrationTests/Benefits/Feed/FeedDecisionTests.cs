using System.Text.Json.Nodes;
using Samskaping.Contracts.Grants;
using Samskaping.Digisos;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Benefits.Feed;

/// <summary>Grants' decision letters and appeals on the real bus become <c>vedtakFattet</c> and <c>saksStatus</c> in the delivered feed.</summary>
[Collection(FeedCollection.Name)]
public sealed class FeedDecisionTests(FeedSystem system)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 9, 9, 0, 0, TimeSpan.Zero);

    private static DecisionLetterIssued Letter(GrantRequested grant, string outcome, DateTimeOffset at, Guid? replaces = null) =>
        new(grant.CaseId, grant.GrantId, Guid.CreateVersion7(at), outcome, outcome == DecisionOutcomes.Refused ? 0m : grant.Amount, "nb",
            new string('0', 64), DateOnly.FromDateTime(at.UtcDateTime).AddDays(21), replaces, "kari", at);

    [Fact]
    public async Task A_refusal_reversed_on_appeal_reaches_NAV_as_two_decisions_with_their_letters_in_schema_valid_documents()
    {
        var caseId = await system.OpenCaseWithApplicant();
        var (request, approval, plan) = FeedSystem.Grant(caseId, Start);
        var refusal = Letter(request, DecisionOutcomes.Refused, Start.AddMinutes(2));
        await system.Publish(request);
        await system.Publish(new GrantDeclined(caseId, request.GrantId, request.FundId, "Fondet dekker ikke dette.", "kari", refusal.IssuedAt));
        await system.Publish(refusal);

        var first = await system.FeedWhen(caseId, f => FeedSystem.Delivered(f) && FeedSystem.Events(f) == 4, "the refusal delivered");
        var refused = JsonNode.Parse(first.GetProperty("document").GetRawText())!["hendelser"]![3]!;
        refused["type"]!.GetValue<string>().ShouldBe("vedtakFattet");
        refused["utfall"]!.GetValue<string>().ShouldBe("AVSLATT");
        refused["vedtaksfil"]!["referanse"]!["id"]!.GetValue<string>().ShouldBe(refusal.LetterId.ToString());

        var appealedAt = Start.AddDays(3);
        await system.Publish(new AppealReceived(caseId, request.GrantId, Guid.CreateVersion7(), refusal.LetterId, DateOnly.FromDateTime(appealedAt.UtcDateTime),
            refusal.AppealDeadline, false, "kari", appealedAt));
        var reversal = Letter(request, DecisionOutcomes.Granted, Start.AddDays(5), replaces: refusal.LetterId);
        await system.Publish(approval with { ApprovedAt = reversal.IssuedAt });
        await system.Publish(reversal);
        await system.Publish(plan with { PlannedAt = reversal.IssuedAt });

        var feed = await system.FeedWhen(caseId, f => FeedSystem.Delivered(f) && FeedSystem.Events(f) == 7, "the reversal delivered");
        var received = await system.Received(feed.GetProperty("digisosId").GetString()!);
        var receipts = received["receipts"]!.AsArray();
        receipts.Count.ShouldBeGreaterThanOrEqualTo(2);
        foreach (var receipt in receipts)
        {
            DigisosDocument.Validate(receipt!["document"]).ShouldBeEmpty();
        }
        // Once the refusal was sent, no later document drops it: NAV replaces the whole document with each one.
        receipts.SkipWhile(r => !r!["document"]!.ToJsonString().Contains(refusal.LetterId.ToString()))
            .ShouldAllBe(r => r!["document"]!.ToJsonString().Contains(refusal.LetterId.ToString()));
        var latest = received["latest"]!["hendelser"]!.AsArray().Select(e => $"{e!["type"]}:{e["status"]}{e["utfall"]}").ToList();
        latest.ShouldBe(["soknadsStatus:MOTTATT", "soknadsStatus:UNDER_BEHANDLING", "saksStatus:UNDER_BEHANDLING", "vedtakFattet:AVSLATT",
            "saksStatus:UNDER_BEHANDLING", "vedtakFattet:INNVILGET", "utbetaling:PLANLAGT_UTBETALING"]);
        received["latest"]!["hendelser"]![5]!["vedtaksfil"]!["referanse"]!["id"]!.GetValue<string>().ShouldBe(reversal.LetterId.ToString());
    }

    [Fact]
    public async Task A_partly_granted_decision_changed_on_appeal_reaches_NAV_as_a_new_decision_and_its_raised_payment_once()
    {
        var caseId = await system.OpenCaseWithApplicant();
        var (request, approval, plan) = FeedSystem.Grant(caseId, Start, amount: 3000m);
        var partly = Letter(request, DecisionOutcomes.PartlyGranted, approval.ApprovedAt) with { Amount = 1500m };
        await system.Publish(request);
        await system.Publish(approval with { Amount = 1500m });
        await system.Publish(partly);
        await system.Publish(plan with { Amount = 1500m });
        await system.FeedWhen(caseId, f => FeedSystem.Delivered(f) && FeedSystem.Events(f) == 5, "the partial approval delivered");

        var appealedAt = Start.AddDays(3);
        await system.Publish(new AppealReceived(caseId, request.GrantId, Guid.CreateVersion7(), partly.LetterId, DateOnly.FromDateTime(appealedAt.UtcDateTime),
            partly.AppealDeadline, false, "kari", appealedAt));
        var changed = Letter(request, DecisionOutcomes.Granted, Start.AddDays(5), replaces: partly.LetterId);
        await system.Publish(changed);
        await system.Publish(plan with { Amount = 3000m, PlannedAt = changed.IssuedAt });
        await system.Publish(new DisbursementPaid(caseId, request.GrantId, plan.DisbursementId, plan.FundId, 3000m, DateOnly.FromDateTime(Start.AddDays(6).UtcDateTime),
            "BANK-1", Start.AddDays(6)));

        var feed = await system.FeedWhen(caseId, f => FeedSystem.Delivered(f) && FeedSystem.Events(f) == 9, "the changed decision and the payment delivered");
        var received = await system.Received(feed.GetProperty("digisosId").GetString()!);
        foreach (var receipt in received["receipts"]!.AsArray())
        {
            DigisosDocument.Validate(receipt!["document"]).ShouldBeEmpty();
        }
        var latest = received["latest"]!["hendelser"]!.AsArray();
        latest.Select(e => $"{e!["type"]}:{e["status"]}{e["utfall"]}{e["belop"]}").ToList().ShouldBe([
            "soknadsStatus:MOTTATT", "soknadsStatus:UNDER_BEHANDLING", "saksStatus:UNDER_BEHANDLING", "vedtakFattet:DELVIS_INNVILGET",
            "utbetaling:PLANLAGT_UTBETALING1500", "saksStatus:UNDER_BEHANDLING", "vedtakFattet:INNVILGET", "utbetaling:PLANLAGT_UTBETALING3000",
            "utbetaling:UTBETALT3000"]);
        latest[6]!["vedtaksfil"]!["referanse"]!["id"]!.GetValue<string>().ShouldBe(changed.LetterId.ToString());
    }
}
