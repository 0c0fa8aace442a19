using MassTransit;
using Samskaping.Access;
using Samskaping.Contracts.Cases;
using Samskaping.Coordination.Groups;
using Samskaping.Messaging.Inbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.Consumers;

/// <summary>
/// A withdrawn consent removes every sector it no longer covers (SectorLeftCase). The withdrawal is recorded in the
/// access read model here, in the same transaction and before asking which sectors are still covered: coordination
/// registers no other consumer of it (CoordinationModule).
/// </summary>
public sealed class ConsentWithdrawnConsumer(Inbox inbox, GroupStore groups, TimeProvider clock) : IConsumer<ConsentWithdrawn>
{
    public Task Consume(ConsumeContext<ConsentWithdrawn> context) =>
        inbox.Receive(context, nameof(ConsentWithdrawnConsumer), async (tx, ct) =>
        {
            var withdrawal = context.Message;
            await CaseAccess.RecordWithdrawal(withdrawal, tx, ct);
            var now = clock.Now();
            await groups.RemoveUncovered(withdrawal.CaseId, withdrawal.WithdrawnAt > now ? withdrawal.WithdrawnAt : now, tx, ct);
        });
}
