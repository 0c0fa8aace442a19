using System.Text.Json;
using System.Text.Json.Nodes;
using Samskaping.Contracts.Grants;
using Samskaping.Digisos;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Benefits.Feed;

/// <summary>The benefit system is down for a while (the simulator answers 503 to everything), then comes back.</summary>
[Collection(FeedCollection.Name)]
public sealed class FeedOutageTests(FeedSystem system)
{
    [Fact]
    public async Task While_the_benefit_system_is_down_nothing_is_lost_and_afterwards_every_case_gets_its_latest_document_in_order()
    {
        var start = new DateTimeOffset(2026, 4, 1, 8, 0, 0, TimeSpan.Zero);
        var cases = new List<(Guid CaseId, DisbursementPlanned Plan)>();
        for (var i = 0; i < 3; i++)
        {
            cases.Add((await system.OpenCaseWithApplicant(), default!));
        }

        await system.SetFault("Unavailable");
        try
        {
            for (var i = 0; i < cases.Count; i++)
            {
                var (request, approval, plan) = FeedSystem.Grant(cases[i].CaseId, start.AddHours(i), $"Aktivitet {i}");
                cases[i] = (cases[i].CaseId, plan);
                await system.PublishGrant((request, approval, plan));
            }
            // Every feed is tried and fails, more than once, and keeps its document.
            foreach (var (caseId, _) in cases)
            {
                var failing = await system.FeedWhen(caseId, f => FeedSystem.Events(f) == 4 && f.GetProperty("attempts").GetInt32() >= 2,
                    "delivery attempts to fail during the outage");
                failing.GetProperty("state").GetString().ShouldBe("pending");
                failing.GetProperty("deliveredVersion").ValueKind.ShouldBe(JsonValueKind.Null);
                failing.GetProperty("lastError").GetString().ShouldNotBeNullOrEmpty();
                failing.GetProperty("nextAttemptAt").ValueKind.ShouldBe(JsonValueKind.String);
            }
            // The cases keep changing while the other side is down: newer versions replace the waiting ones.
            foreach (var (caseId, plan) in cases)
            {
                await system.Publish(new DisbursementPaid(caseId, plan.GrantId, plan.DisbursementId, plan.FundId, plan.Amount, plan.DueOn, "ref", plan.PlannedAt.AddDays(3)));
            }
            foreach (var (caseId, _) in cases)
            {
                await system.FeedWhen(caseId, f => FeedSystem.Events(f) == 5 && f.GetProperty("attempts").GetInt32() >= 1 && f.GetProperty("version").GetInt32() >= 2,
                    "the newer version to wait as well");
            }
        }
        finally
        {
            await system.SetFault("None");
        }

        // One more change right after recovery, racing the deliveries that resume.
        var (lastCase, lastPlan) = cases[0];
        var stoppedPlan = lastPlan with { DisbursementId = Guid.CreateVersion7(), PlannedAt = start.AddDays(10) };
        await system.Publish(stoppedPlan);
        await system.Publish(new DisbursementStopped(lastCase, stoppedPlan.GrantId, stoppedPlan.DisbursementId, stoppedPlan.FundId, stoppedPlan.Amount, "case closed", start.AddDays(11)));

        foreach (var (caseId, _) in cases)
        {
            var expectedEvents = caseId == lastCase ? 7 : 5;
            var feed = await system.FeedWhen(caseId, f => FeedSystem.Delivered(f) && FeedSystem.Events(f) == expectedEvents,
                "every case's latest version to be delivered after the outage", TimeSpan.FromSeconds(90));
            var document = JsonNode.Parse(feed.GetProperty("document").GetRawText())!;
            DigisosDocument.Validate(document).ShouldBeEmpty();

            var received = await system.Received(feed.GetProperty("digisosId").GetString()!);
            var receipts = received["receipts"]!.AsArray();
            receipts.Count.ShouldBeGreaterThan(0);
            // The last document the other side received is the latest version: nothing older came after it.
            JsonNode.DeepEquals(receipts[^1]!["document"], document).ShouldBeTrue("the last receipt is the current version");
            // Histories only grow, so arrival in version order means never fewer events than the receipt before.
            var counts = receipts.Select(r => r!["events"]!.GetValue<int>()).ToList();
            counts.ShouldBe(counts.Order().ToList(), "receipts arrive in non-decreasing version order");
            receipts.ShouldAllBe(r => DigisosDocument.Validate(r!["document"]).Count == 0);
        }
    }
}
