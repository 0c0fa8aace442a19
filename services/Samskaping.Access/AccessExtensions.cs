using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Samskaping.Messaging.Database;
using Samskaping.Messaging.Metrics;

namespace Samskaping.Access;

public static class AccessExtensions
{
    /// <summary>The access read model and the access log, with their tables in the service's database, and the
    /// access log's retention sweep (<see cref="AccessLogRetention"/>). The rows of
    /// the read model come from six events (<see cref="AddCaseAccessConsumers"/>); each service's module says which of
    /// them it takes from events and which it writes itself. <paramref name="purpose"/> is the consent purpose
    /// (<see cref="Samskaping.Contracts.Cases.ConsentPurposes"/>) every read and write of a case in this service needs.</summary>
    public static IHostApplicationBuilder AddCaseAccess(this IHostApplicationBuilder builder, string purpose)
    {
        if (!Samskaping.Contracts.Cases.ConsentPurposes.All.Contains(purpose))
        {
            throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "not a consent purpose (ConsentPurposes.All)");
        }

        builder.Services.AddSingleton(new CaseAccessPurpose(purpose));
        builder.AddServiceDatabase(typeof(AccessExtensions).Assembly);
        builder.Services.AddSingleton<CaseParticipation>();
        builder.Services.AddSingleton<CaseAccess>();
        builder.Services.AddSingleton<AccessLog>();
        builder.Services.AddServiceMetrics<AccessMetrics>();
        builder.Services.AddServiceMetrics<AnonymisationMetrics>();
        builder.Services.AddOptions<AccessLogRetentionOptions>().BindConfiguration(AccessLogRetentionOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AccessLogRetentionOptions>, AccessLogRetentionOptions.Validator>();
        builder.Services.AddSingleton<AccessLogRetention>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AccessLogRetention>());
        return builder;
    }

    /// <summary>
    /// The consumers that keep the access read model of a service that writes none of its rows itself, one per event:
    /// <see cref="CaseOpenedAccessConsumer"/>, <see cref="SectorJoinedCaseAccessConsumer"/>,
    /// <see cref="SectorLeftCaseAccessConsumer"/>, <see cref="CoordinatorAssignedAccessConsumer"/>,
    /// <see cref="ConsentGivenAccessConsumer"/> and <see cref="ConsentWithdrawnAccessConsumer"/>. A service that
    /// writes some rows in the transaction that publishes their event registers the others one by one instead.
    /// </summary>
    public static void AddCaseAccessConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<CaseOpenedAccessConsumer>();
        bus.AddConsumer<SectorJoinedCaseAccessConsumer>();
        bus.AddConsumer<SectorLeftCaseAccessConsumer>();
        bus.AddConsumer<CoordinatorAssignedAccessConsumer>();
        bus.AddConsumer<ConsentGivenAccessConsumer>();
        bus.AddConsumer<ConsentWithdrawnAccessConsumer>();
    }
}
