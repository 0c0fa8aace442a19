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
}
