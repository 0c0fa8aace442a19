using Microsoft.AspNetCore.OpenApi;
using Samskaping.Access;
using Samskaping.Contracts.Cases;
using Samskaping.Coordination.ActionPlan;
using Samskaping.Coordination.Citizens;
using Samskaping.Coordination.Consumers;
using Samskaping.Coordination.Groups;
using Samskaping.Coordination.Leads;
using Samskaping.Coordination.MyWork;
using Samskaping.Coordination.PersonExport;
using Samskaping.Coordination.RelayLog;
using Samskaping.Coordination.Sectors;
using Samskaping.Messaging.Bus;
using Samskaping.Messaging.Database;
using Samskaping.Messaging.Replay;
using Samskaping.Messaging.Metrics;

namespace Samskaping.Coordination;

/// <summary>Marker for WebApplicationFactory: several services are hosted by one test project.</summary>
public sealed class CoordinationMarker;

public static class CoordinationModule
{
    public static IHostApplicationBuilder AddCoordination(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(typeof(CoordinationModule).Assembly);
        builder.AddCaseAccess(ConsentPurposes.Coordination);
        // The document itself is added by AddServiceDefaults ("v1"); this only adds who may call each operation.
        builder.Services.AddOptions<CoordinationOptions>()
            .BindConfiguration(CoordinationOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.AddMessaging("coordination", bus =>
        {
            bus.AddCaseAnonymisation("coordination");
            // The access read model: coordination writes the participation and lead rows in the transactions that
            // publish SectorJoinedCase, SectorLeftCase and CoordinatorAssigned (GroupStore, LeadStore), the opening in
            // its CaseOpenedConsumer and a withdrawal in its ConsentWithdrawnConsumer; a consent it takes from its event.
            bus.AddConsumer<ConsentGivenAccessConsumer>();
            bus.AddConsumer<CaseOpenedConsumer>();
            bus.AddConsumer<ConsentWithdrawnConsumer>();
            bus.AddConsumer<GoalAgreedConsumer>();
            bus.AddConsumer<GoalCorrectedConsumer>();
            bus.AddConsumer<CaseClosedConsumer>();
            bus.AddConsumer<CaseStatusChangedConsumer>();
            bus.AddConsumer<NegativeEffectReportedConsumer>();
            bus.AddConsumer<BenefitStatusChangedConsumer>();
            bus.AddConsumer<AppealReceivedConsumer>();
            bus.AddConsumer<AppealDecidedConsumer>();
        });
        builder.Services.AddServiceMetrics<CoordinationMetrics>();
        builder.Services.AddSingleton<SectorStore>();
        builder.Services.AddSingleton<GroupStore>();
        builder.Services.AddSingleton<LeadStore>();
        builder.Services.AddSingleton<RelayLogStore>();
        builder.Services.AddSingleton<ActionPlanStore>();
        builder.Services.AddSingleton<MyWorkStore>();
        builder.Services.AddSingleton<ReviewScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReviewScheduler>());
        return builder;
    }

    public static WebApplication MapCoordinationApi(this WebApplication app)
    {
        app.MapMessagingAdminApi();
        app.MapSectorEndpoints();
        app.MapAccessLogExport("coordination");
        app.MapPersonExport("coordination", CoordinationPersonExport.Read);
        app.MapCitizenPlanRead();
        app.MapGroupEndpoints();
        app.MapLeadEndpoints();
        app.MapRelayLogEndpoints();
        app.MapActionPlanEndpoints();
        app.MapMyWorkEndpoints();
        return app;
    }
}
