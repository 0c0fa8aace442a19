using MassTransit;
using Samskaping.Contracts.Cases;
using Samskaping.Messaging.Inbox;

namespace Samskaping.Benefits.Cases;

/// <summary>Remembers when each case was received: the first event (MOTTATT) of its status feed to the benefit system.</summary>
public sealed class CaseOpenedConsumer(Inbox inbox, ReceivedCaseStore cases) : IConsumer<CaseOpened>
{
    public Task Consume(ConsumeContext<CaseOpened> context) =>
        inbox.Receive(context, nameof(CaseOpenedConsumer), (tx, ct) => cases.Record(context.Message, tx, ct));
}
