using MassTransit;
using MassTransit.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Samskaping.Messaging.Inbox;

namespace Samskaping.Messaging.Faults;

/// <summary>
/// The fault suite's injection (<c>./samskaping chaos</c>), present only in a process whose configuration has a
/// <c>Messaging:Faults</c> section: then two filters stand around the inbox's transaction, and otherwise nothing
/// of this is in the service.
/// </summary>
internal static class FaultInjection
{
    public static bool Configured(IConfiguration configuration) => configuration.GetSection(FaultOptions.Section).Exists();

    public static void AddFaultInjection(this IServiceCollection services)
    {
        services.AddOptions<FaultOptions>()
            .BindConfiguration(FaultOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<FaultOptions>, FaultOptions.Validator>();
        services.AddSingleton<MessageFaults>();
    }

    /// <summary>Outside the inbox's transaction: the process dies right after it committed, before the acknowledgement.</summary>
    public static IPipeSpecification<ConsumeContext> AfterCommit(MessageFaults faults) =>
        new FilterPipeSpecification<ConsumeContext>(new DeliveryFilter(
            "samskaping-faults-after-commit", delivery => delivery.Committed, faults.AfterCommit));

    /// <summary>Inside it: the attempt fails with every consumer's effect written and nothing committed yet.</summary>
    public static IPipeSpecification<ConsumeContext> BeforeCommit(MessageFaults faults) =>
        new FilterPipeSpecification<ConsumeContext>(new DeliveryFilter(
            "samskaping-faults-before-commit", delivery => delivery.Commits, faults.BeforeCommit));

    /// <summary>Runs the rest of the pipe, then injects the fault if the inbox's delivery is at the filter's point.</summary>
    private sealed class DeliveryFilter(string name, Func<InboxDelivery, bool> atPoint, Action<Guid, string> inject)
        : IFilter<ConsumeContext>
    {
        public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
        {
            await next.Send(context);
            if (context.TryGetPayload<InboxDelivery>(out var delivery) && atPoint(delivery))
            {
                inject(delivery.MessageId, context.ReceiveContext.InputAddress?.AbsolutePath.Trim('/') ?? "endpoint");
            }
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope(name);
    }
}
