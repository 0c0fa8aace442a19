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
        new FilterPipeSpecification<ConsumeContext>(new AfterCommitFilter(faults));

    /// <summary>Inside it: the attempt fails with every consumer's effect written and nothing committed yet.</summary>
    public static IPipeSpecification<ConsumeContext> BeforeCommit(MessageFaults faults) =>
        new FilterPipeSpecification<ConsumeContext>(new BeforeCommitFilter(faults));

    private static string Endpoint(ConsumeContext context) =>
        context.ReceiveContext.InputAddress?.AbsolutePath.Trim('/') ?? "endpoint";

    private sealed class AfterCommitFilter(MessageFaults faults) : IFilter<ConsumeContext>
    {
        public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
        {
            await next.Send(context);
            if (context.TryGetPayload<InboxDelivery>(out var delivery) && delivery.Committed)
            {
                faults.AfterCommit(delivery.MessageId, Endpoint(context));
            }
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("samskaping-faults-after-commit");
    }

    private sealed class BeforeCommitFilter(MessageFaults faults) : IFilter<ConsumeContext>
    {
        public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
        {
            await next.Send(context);
            if (context.TryGetPayload<InboxDelivery>(out var delivery) && delivery.Commits)
            {
                faults.BeforeCommit(delivery.MessageId, Endpoint(context));
            }
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("samskaping-faults-before-commit");
    }
}
