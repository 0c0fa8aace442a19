using Samskaping.Access;
using Samskaping.Coordination.Consumers;
using Samskaping.Coordination.Groups;
using Samskaping.Messaging.Bus;

namespace Samskaping.Coordination;

/// <summary>Marker for WebApplicationFactory: several services are hosted by one test project.</summary>
public sealed class CoordinationMarker;

public static class CoordinationModule
{
    public static IHostApplicationBuilder AddCoordination(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(typeof(CoordinationModule).Assembly);
        builder.AddCaseAccess();
        builder.AddMessaging("coordination", bus => bus.AddConsumer<CaseOpenedConsumer>());
        builder.Services.AddSingleton<GroupStore>();
        return builder;
    }

    public static WebApplication MapCoordinationApi(this WebApplication app)
    {
        app.MapGroupEndpoints();
        return app;
    }
}
