using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Samskaping.Messaging.Bus;

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
    /// cases' and coordination's events (opening, participation, consent, lead coordinator).</summary>
    public static void AddCaseParticipationConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<CaseOpenedParticipationConsumer>();
        bus.AddConsumer<SectorJoinedCaseConsumer>();
        bus.AddConsumer<SectorLeftCaseConsumer>();
        bus.AddConsumer<ConsentGivenAccessConsumer>();
        bus.AddConsumer<ConsentWithdrawnAccessConsumer>();
        bus.AddConsumer<CoordinatorAssignedAccessConsumer>();
    }
}
