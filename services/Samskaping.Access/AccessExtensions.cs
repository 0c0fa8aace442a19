using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Samskaping.Messaging.Database;

namespace Samskaping.Access;

public static class AccessExtensions
{
    /// <summary>The participation read model and the access log, with their tables in the service's database.</summary>
    public static IHostApplicationBuilder AddCaseAccess(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(typeof(AccessExtensions).Assembly);
        builder.Services.AddSingleton<CaseParticipation>();
        builder.Services.AddSingleton<CaseAccess>();
        builder.Services.AddSingleton<AccessLog>();
        return builder;
    }

    /// <summary>Consumers that keep <see cref="CaseParticipation"/> and <see cref="CaseAccess"/> up to date from
    /// cases' and coordination's events (opening, participation, consent, lead coordinator). A service that writes
    /// the read model itself, in the transaction that publishes the event (or consumes it otherwise), names those
    /// events in <paramref name="recordedByTheService"/>: it does not receive them a second time just to write the
    /// same rows (a delivery and a transaction per case each, measured by ./samskaping bench case-events).</summary>
    public static void AddCaseParticipationConsumers(this IBusRegistrationConfigurator bus, RecordedEvents recordedByTheService = RecordedEvents.None)
    {
        if (!recordedByTheService.HasFlag(RecordedEvents.CaseOpened))
        {
            bus.AddConsumer<CaseOpenedParticipationConsumer>();
        }
        if (!recordedByTheService.HasFlag(RecordedEvents.Participation))
        {
            bus.AddConsumer<SectorJoinedCaseConsumer>();
            bus.AddConsumer<SectorLeftCaseConsumer>();
            bus.AddConsumer<CoordinatorAssignedAccessConsumer>();
        }
        bus.AddConsumer<ConsentGivenAccessConsumer>();
        bus.AddConsumer<ConsentWithdrawnAccessConsumer>();
    }
}

/// <summary>Events whose access read-model rows a service writes itself (see <see cref="AccessExtensions.AddCaseParticipationConsumers"/>).</summary>
[Flags]
public enum RecordedEvents
{
    None = 0,

    /// <summary>CaseOpened: the opening sector and its participation as lead.</summary>
    CaseOpened = 1,

    /// <summary>SectorJoinedCase, SectorLeftCase and CoordinatorAssigned.</summary>
    Participation = 2,
}
