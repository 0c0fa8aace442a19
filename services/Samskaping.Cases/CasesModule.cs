using Samskaping.Access;
using Samskaping.Cases.Cases;
using Samskaping.Messaging.Bus;

namespace Samskaping.Cases;

/// <summary>Marker for WebApplicationFactory: several services are hosted by one test project.</summary>
public sealed class CasesMarker;

public static class CasesModule
{
    public static IHostApplicationBuilder AddCases(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(typeof(CasesModule).Assembly);
        builder.AddCaseAccess();
        builder.AddMessaging("cases", bus => bus.AddCaseParticipationConsumers());
        builder.Services.AddSingleton<CaseStore>();
        return builder;
    }

    public static WebApplication MapCasesApi(this WebApplication app)
    {
        app.MapCaseEndpoints();
        return app;
    }
}
