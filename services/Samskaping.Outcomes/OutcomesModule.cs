using Samskaping.Access;
using Samskaping.Messaging.Bus;
using Samskaping.Outcomes.Schedules;

namespace Samskaping.Outcomes;

/// <summary>Marker for WebApplicationFactory: several services are hosted by one test project.</summary>
public sealed class OutcomesMarker;

public static class OutcomesModule
{
    public static IHostApplicationBuilder AddOutcomes(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(typeof(OutcomesModule).Assembly);
        builder.AddCaseAccess();
        builder.AddMessaging("outcomes", bus =>
        {
            bus.AddCaseParticipationConsumers();
            bus.AddConsumer<BaselineScheduler>();
        });
        builder.Services.AddOptions<ScheduleOptions>()
            .BindConfiguration(ScheduleOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ScheduleStore>();
        return builder;
    }

    public static WebApplication MapOutcomesApi(this WebApplication app)
    {
        app.MapScheduleEndpoints();
        return app;
    }
}
