using Microsoft.Extensions.Options;
using Samskaping.Access;
using Samskaping.Cases.AccessHistory;
using Samskaping.Cases.Cases;
using Samskaping.Cases.Citizens;
using Samskaping.Cases.Consents;
using Samskaping.Cases.Corrections;
using Samskaping.Cases.Households;
using Samskaping.Cases.Internal;
using Samskaping.Cases.PersonalData;
using Samskaping.Cases.PersonExport;
using Samskaping.Cases.Retention;
using Samskaping.Cases.Timeline;
using Samskaping.Contracts.Cases;
using Samskaping.Messaging.Bus;
using Samskaping.Messaging.Database;
using Samskaping.Messaging.Replay;
using Samskaping.Messaging.Metrics;

namespace Samskaping.Cases;

/// <summary>Marker for WebApplicationFactory: several services are hosted by one test project.</summary>
public sealed class CasesMarker;

public static class CasesModule
{
    public static IHostApplicationBuilder AddCases(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(typeof(CasesModule).Assembly);
        builder.AddCaseAccess(ConsentPurposes.Coordination);
        builder.AddMessaging("cases", bus =>
        {
            // The access read model: cases writes the rows of its own events in the transactions that publish them
            // (CaseOpened in CaseStore, ConsentGiven and ConsentWithdrawn in ConsentStore), and coordination's from events.
            bus.AddConsumer<SectorJoinedCaseAccessConsumer>();
            bus.AddConsumer<SectorLeftCaseAccessConsumer>();
            bus.AddConsumer<CoordinatorAssignedAccessConsumer>();
            bus.AddConsumer<TimelineConsumer>();
            bus.AddConsumer<AnonymisationAnswerConsumer>();
        });
        builder.Services.AddOptions<PersonalDataOptions>().BindConfiguration(PersonalDataOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PersonalDataOptions>, PersonalDataOptions.Validator>();
        builder.Services.AddSingleton<PersonalDataProtector>();
        builder.Services.AddSingleton<IdentityNumberReencryption>();
        builder.Services.AddHostedService(services => services.GetRequiredService<IdentityNumberReencryption>());
        builder.Services.AddSingleton<IdentityNumberRehash>();
        builder.Services.AddHostedService(services => services.GetRequiredService<IdentityNumberRehash>());
        builder.Services.AddServiceMetrics<CasesMetrics>();
        builder.Services.AddSingleton<CaseStore>();
        builder.Services.AddSingleton<HouseholdStore>();
        builder.Services.AddSingleton<InternalStore>();
        builder.Services.AddSingleton<ConsentStore>();
        builder.Services.AddSingleton<CorrectionStore>();
        builder.Services.AddSingleton<MemberCorrections>();
        builder.Services.AddSingleton<CitizenRelation>();
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptions.Validator>();
        builder.Services.AddSingleton<AnonymisationStore>();
        builder.Services.AddSingleton<RetentionSweep>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RetentionSweep>());
        builder.AddAccessLogSources();
        return builder;
    }

    public static WebApplication MapCasesApi(this WebApplication app)
    {
        app.MapMessagingAdminApi();
        app.MapCaseEndpoints();
        app.MapHouseholdEndpoints();
        app.MapConsentEndpoints();
        app.MapCorrectionEndpoints();
        app.MapInternalEndpoints();
        app.MapAccessHistoryEndpoints();
        app.MapCitizenEndpoints();
        app.MapCitizenConsentEndpoints();
        app.MapCitizenPlanEndpoints();
        app.MapCitizenAnswerEndpoints();
        app.MapPersonExportEndpoints();
        app.MapRetentionEndpoints();
        app.MapKeyRotationEndpoints();
        return app;
    }
}
