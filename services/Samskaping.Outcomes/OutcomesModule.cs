using Samskaping.Access;
using Samskaping.Contracts.Cases;
using Samskaping.Messaging.Bus;
using Samskaping.Messaging.Database;
using Samskaping.Messaging.Metrics;
using Samskaping.Messaging.Replay;
using Samskaping.Outcomes.CaseFacts;
using Samskaping.Outcomes.Instruments;
using Samskaping.Outcomes.PersonExport;
using Samskaping.Outcomes.Reports;
using Samskaping.Outcomes.Responses;
using Samskaping.Outcomes.Schedules;

namespace Samskaping.Outcomes;

/// <summary>Marker for WebApplicationFactory: several services are hosted by one test project.</summary>
public sealed class OutcomesMarker;

public static class OutcomesModule
{
    public static IHostApplicationBuilder AddOutcomes(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(typeof(OutcomesModule).Assembly);
        builder.AddCaseAccess(ConsentPurposes.OutcomeMeasurement);
        builder.AddMessaging("outcomes", bus =>
        {
            bus.AddCaseAnonymisation("outcomes");
            // The access read model: outcomes writes none of its rows itself, it takes them all from events.
            bus.AddCaseAccessConsumers();
            bus.AddConsumer<CaseActivatedScheduler>();
            bus.AddConsumer<ClosingScheduler>();
            bus.AddConsumer<ReopeningScheduler>();
            bus.AddConsumer<CaseOpenedFactsConsumer>();
            bus.AddConsumer<LeadAssignedFactsConsumer>();
            bus.AddConsumer<HouseholdMemberAddedConsumer>();
            bus.AddConsumer<HouseholdMemberCorrectedConsumer>();
            bus.AddConsumer<DisbursementPaidConsumer>();
        });
        builder.Services.AddOptions<ScheduleOptions>()
            .BindConfiguration(ScheduleOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<OutcomesOptions>()
            .BindConfiguration(OutcomesOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ScheduleStore>();
        builder.Services.AddSingleton<InstrumentStore>();
        builder.Services.AddServiceMetrics<OutcomesMetrics>();
        builder.Services.AddSingleton<ResponseStore>();
        builder.Services.AddSingleton<ReportStore>();
        builder.Services.AddSingleton<ChangeReports>();
        builder.Services.AddSingleton<MeasurementDueScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MeasurementDueScheduler>());
        return builder;
    }

    public static WebApplication MapOutcomesApi(this WebApplication app)
    {
        app.MapMessagingAdminApi();
        app.MapScheduleEndpoints();
        app.MapAccessLogExport("outcomes");
        app.MapPersonExport("outcomes", OutcomesPersonExport.Read);
        app.MapInstrumentEndpoints();
        app.MapResponseEndpoints();
        app.MapCitizenAnswersInternal();
        app.MapReportEndpoints();
        return app;
    }
}
