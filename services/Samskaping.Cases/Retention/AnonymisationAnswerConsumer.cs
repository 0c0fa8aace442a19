using MassTransit;
using Samskaping.Contracts.Cases;
using Samskaping.Messaging.Inbox;

namespace Samskaping.Cases.Retention;

/// <summary>Records each service's <see cref="CaseAnonymisedInService"/> once (inbox), for the privacy officer's status.</summary>
public sealed class AnonymisationAnswerConsumer(Inbox inbox) : IConsumer<CaseAnonymisedInService>
{
    public Task Consume(ConsumeContext<CaseAnonymisedInService> context) =>
        inbox.Receive(context, nameof(AnonymisationAnswerConsumer), (tx, ct) => AnonymisationStore.Answer(context.Message, tx, ct));
}
