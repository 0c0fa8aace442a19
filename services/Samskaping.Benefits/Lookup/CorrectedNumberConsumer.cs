using MassTransit;
using Microsoft.Extensions.Caching.Memory;
using Samskaping.Contracts.Cases;

namespace Samskaping.Benefits.Lookup;

/// <summary>
/// A member's identity number corrected in cases: this replica forgets the household's kept look-up answer, which was
/// asked with the old number, so the next look-up asks the benefit system with the corrected one. Forgetting twice is
/// forgetting once, and nothing is written, so no inbox is needed. Benefits keeps no identity number of its own: the
/// look-ups, the applicant and the resolve of inbound notifications ask cases each time, which has the corrected number.
/// </summary>
public sealed class CorrectedNumberConsumer(IMemoryCache cache) : IConsumer<HouseholdMemberCorrected>
{
    public Task Consume(ConsumeContext<HouseholdMemberCorrected> context)
    {
        if (context.Message.Field == CorrectedFields.MemberIdentityNumber)
        {
            cache.Remove(LookupApi.CacheKey(context.Message.HouseholdId));
        }
        return Task.CompletedTask;
    }
}
