using Samskaping.Access;
using Samskaping.Benefits.Cases;
using Samskaping.Benefits.Feed;
using Samskaping.Benefits.Nav;
using Samskaping.Benefits.People;
using Samskaping.Messaging.Bus;

namespace Samskaping.Benefits;

/// <summary>Marker for WebApplicationFactory: several services are hosted by one test project.</summary>
public sealed class BenefitsMarker;

public static class BenefitsModule
{
    public static IHostApplicationBuilder AddBenefits(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(typeof(BenefitsModule).Assembly);
        builder.AddCaseAccess();
        builder.AddMessaging("benefits", bus =>
        {
            bus.AddCaseParticipationConsumers();
            bus.AddConsumer<CaseOpenedConsumer>();
            bus.AddConsumer<StatusFeedConsumer>();
        });
        builder.Services.AddSingleton<ReceivedCaseStore>();
        // Before AddNavConnection: the feed's resilience pipeline then wraps the token request too (handlers run in the
        // order they are added), so a token endpoint that is down counts towards the retries and the circuit breaker.
        builder.AddStatusFeed();
        builder.AddCasesDirectory();
        builder.AddNavConnection();
        return builder;
    }

    public static WebApplication MapBenefitsApi(this WebApplication app)
    {
        app.MapReceivedCaseEndpoints();
        app.MapStatusFeedEndpoints();
        return app;
    }
}
