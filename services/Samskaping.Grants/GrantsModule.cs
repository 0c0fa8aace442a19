using Samskaping.Access;
using Samskaping.Contracts.Cases;
using Samskaping.Grants.Appeals;
using Samskaping.Grants.Cases;
using Samskaping.Grants.Citizens;
using Samskaping.Grants.Disbursements;
using Samskaping.Grants.Funds;
using Samskaping.Grants.Idempotency;
using Samskaping.Grants.Ledger;
using Samskaping.Grants.Letters;
using Samskaping.Grants.Payments;
using Samskaping.Grants.PersonExport;
using Samskaping.Grants.Reports;
using Samskaping.Grants.Requests;
using Samskaping.Messaging.Bus;
using Samskaping.Messaging.Database;
using Samskaping.Messaging.Replay;
using Samskaping.Messaging.Metrics;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants;

/// <summary>Marker for WebApplicationFactory: several services are hosted by one test project.</summary>
public sealed class GrantsMarker;

public static class GrantsModule
{
    public static IHostApplicationBuilder AddGrants(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(typeof(GrantsModule).Assembly);
        builder.AddCaseAccess(ConsentPurposes.Grants);
        builder.AddMessaging("grants", bus =>
        {
            bus.AddCaseAnonymisation("grants");
            // The access read model: grants writes none of its rows itself, it takes them all from events.
            bus.AddCaseAccessConsumers();
            bus.AddConsumer<CaseOpenedConsumer>();
            bus.AddConsumer<CaseClosedConsumer>();
            bus.AddConsumer<CaseStatusChangedConsumer>();
            bus.AddConsumer<HouseholdMemberAddedConsumer>();
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(GrantPolicies.FundManager, p => Policies.Staff(p).RequireRole(Roles.GrantApprover, Roles.Admin))
            .AddPolicy(GrantPolicies.FundReader, p => Policies.Staff(p)
                .RequireAssertion(c => c.User.IsInRole(Roles.Admin) || Policies.IsSectorStaff(c.User)))
            .AddPolicy(GrantPolicies.Reports, p => Policies.Staff(p).RequireRole(Roles.GrantApprover, Roles.Admin, Roles.Analyst));
        builder.Services.AddOptions<IdempotencyOptions>()
            .BindConfiguration(IdempotencyOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<ReportOptions>()
            .BindConfiguration(ReportOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddOptions<LetterOptions>()
            .BindConfiguration(LetterOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<PaymentOptions>()
            .BindConfiguration(PaymentOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddServiceMetrics<GrantsMetrics>();
        builder.Services.AddSingleton<GrantCaseStore>();
        builder.Services.AddSingleton<FundLedger>();
        builder.Services.AddScoped<FundStore>();
        builder.Services.AddSingleton<GrantStore>();
        builder.Services.AddScoped<GrantDecisions>();
        builder.Services.AddScoped<DisbursementStore>();
        builder.Services.AddScoped<IdempotentRequests>();
        builder.Services.AddScoped<PaymentFiles>();
        builder.Services.AddScoped<DecisionLetters>();
        builder.Services.AddScoped<AppealProceedings>();
        builder.Services.AddScoped<BankImports>();
        builder.Services.AddHostedService<IdempotencyKeyCleanup>();
        CurrentBenefitsClient.Add(builder.Services);
        return builder;
    }

    public static WebApplication MapGrantsApi(this WebApplication app)
    {
        app.MapMessagingAdminApi();
        app.MapGrantCaseEndpoints();
        app.MapAccessLogExport("grants");
        app.MapPersonExport("grants", GrantsPersonExport.Read);
        app.MapCitizenGrantsRead();
        app.MapFundEndpoints();
        app.MapGrantRequestEndpoints();
        app.MapDisbursementEndpoints();
        app.MapPaymentEndpoints();
        app.MapLetterEndpoints();
        app.MapAppealEndpoints();
        app.MapReportEndpoints();
        return app;
    }
}
