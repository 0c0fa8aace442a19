using Samskaping.Access;
using Samskaping.Benefits.Cases;
using Samskaping.Benefits.Citizens;
using Samskaping.Benefits.Inbound;
using Samskaping.Benefits.Lookup;
using Samskaping.Benefits.Feed;
using Samskaping.Benefits.Nav;
using Samskaping.Benefits.People;
using Samskaping.Benefits.PersonExport;
using Samskaping.Contracts.Cases;
using Samskaping.Messaging.Bus;
using Samskaping.Messaging.Database;
using Samskaping.Messaging.Replay;
using Samskaping.Messaging.Metrics;

namespace Samskaping.Benefits;

/// <summary>Marker for WebApplicationFactory: several services are hosted by one test project.</summary>
public sealed class BenefitsMarker;

public static class BenefitsModule
{
    public static IHostApplicationBuilder AddBenefits(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(typeof(BenefitsModule).Assembly);
        builder.AddCaseAccess(ConsentPurposes.BenefitCoordination);
        builder.AddMessaging("benefits", bus =>
        {
            bus.AddCaseAnonymisation("benefits");
            // The access read model: benefits writes none of its rows itself, it takes them all from events.
            bus.AddCaseAccessConsumers();
            bus.AddConsumer<CaseOpenedConsumer>();
            bus.AddConsumer<StatusFeedConsumer>();
            bus.AddConsumer<CorrectedNumberConsumer>();
        });
        builder.Services.AddServiceMetrics<BenefitsMetrics>();
        builder.Services.AddSingleton<ReceivedCaseStore>();
        // Both before AddNavConnection, so each use's resilience pipeline wraps the token request too (handlers run in
        // the order they are added): a token endpoint that is down or slow is timed out, retried and counted like the call.
        builder.AddBenefitLookup();
        builder.AddStatusFeed();
        builder.AddCasesDirectory();
        builder.AddNavConnection();
        builder.AddInboundAuthentication();
        builder.Services.AddSingleton<InboundStore>();
        return builder;
    }

    public static WebApplication MapBenefitsApi(this WebApplication app)
    {
        app.MapMessagingAdminApi();
        app.MapReceivedCaseEndpoints();
        app.MapAccessLogExport("benefits");
        app.MapPersonExport("benefits", BenefitsPersonExport.Read);
        app.MapCitizenBenefitsRead();
        app.MapLookupEndpoints();
        app.MapInboundEndpoints();
        app.MapStatusFeedEndpoints();
        return app;
    }
}
