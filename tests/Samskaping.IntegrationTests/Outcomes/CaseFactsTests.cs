using Samskaping.Contracts.Coordination;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Outcomes;

/// <summary>The lead sector reports group by: the opening sector from CaseOpened, then whoever a handover made lead.</summary>
[Collection(OutcomesCollection.Name)]
public sealed class CaseFactsTests(OutcomesSystem system)
{
    [Fact]
    public async Task The_opening_sector_leads_until_a_handover_and_a_late_older_assignment_does_not_win()
    {
        var (caseId, _, _) = await system.OpenCase("oppvekst");
        (await LeadSector(caseId)).ShouldBe("oppvekst");
        var openedAt = system.Clock.GetUtcNow();

        await system.Publish(new CoordinatorAssigned(caseId, "nav-nora", "nav", openedAt.AddMinutes(10)));
        await Eventually.True(async () => await LeadSector(caseId) == "nav", what: "the handover to reach outcomes");

        var consumed = await Consumed();
        await system.Publish(new CoordinatorAssigned(caseId, "kultur-kim", "kultur", openedAt.AddMinutes(5)));
        await Eventually.True(async () => await Consumed() == consumed + 1, what: "the older assignment to be consumed");
        (await LeadSector(caseId)).ShouldBe("nav");
    }

    private Task<long> Consumed() =>
        system.Database.Scalar<long>("SELECT count(*) FROM messaging.inbox WHERE consumer = 'LeadAssignedFactsConsumer'");

    private Task<string?> LeadSector(Guid caseId) =>
        system.Database.Scalar<string?>("SELECT lead_sector FROM outcomes.case_facts WHERE case_id = @c", ("c", caseId));
}
