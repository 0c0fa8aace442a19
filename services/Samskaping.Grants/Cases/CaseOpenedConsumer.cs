using MassTransit;
using Samskaping.Contracts.Cases;
using Samskaping.Messaging.Inbox;

namespace Samskaping.Grants.Cases;

/// <summary>Remembers each new case, so grant requests can later be checked against a case that exists.</summary>
public sealed class CaseOpenedConsumer(Inbox inbox, GrantCaseStore cases) : IConsumer<CaseOpened>
{
    public Task Consume(ConsumeContext<CaseOpened> context) =>
        inbox.Receive(context, nameof(CaseOpenedConsumer), (tx, ct) => cases.Record(context.Message, tx, ct));
}
