using Samskaping.Access;
using Samskaping.Grants.Cases;
using Samskaping.Messaging.Bus;

namespace Samskaping.Grants;

/// <summary>Marker for WebApplicationFactory: several services are hosted by one test project.</summary>
public sealed class GrantsMarker;

public static class GrantsModule
{
    public static IHostApplicationBuilder AddGrants(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(typeof(GrantsModule).Assembly);
        builder.AddCaseAccess();
        builder.AddMessaging("grants", bus =>
        {
            bus.AddCaseParticipationConsumers();
            bus.AddConsumer<CaseOpenedConsumer>();
        });
        builder.Services.AddSingleton<GrantCaseStore>();
        return builder;
    }

    public static WebApplication MapGrantsApi(this WebApplication app)
    {
        app.MapGrantCaseEndpoints();
        return app;
    }
}
