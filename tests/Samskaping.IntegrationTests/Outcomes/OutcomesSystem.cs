using System.Collections.Concurrent;
using System.Net.Http.Headers;
using MassTransit;
using Microsoft.Extensions.Time.Testing;
using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Outcomes;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.IntegrationTests.Messaging;
using Samskaping.Outcomes;
using Xunit;

namespace Samskaping.IntegrationTests.Outcomes;

/// <summary>
/// The outcomes service on its own database and RabbitMQ virtual host, on a fake clock, beside a small host that
/// plays the other services: it publishes cases' and coordination's events on the real bus and records every
/// outcomes event that arrives (as coordination's consumer would receive them).
/// </summary>
public sealed class OutcomesSystem : IAsyncLifetime
{
    public const string PseudonymKey = "outcomes-tests-pseudonym-key-0123456789";

    private TestDatabase? _outcomesDb;
    private TestDatabase? _neighbourDb;
    private TestVirtualHost? _vhost;
    private MessagingHost? _neighbour;

    // Whole seconds: the database keeps microseconds, so times compared after a round trip must not carry ticks below them.
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    public ServiceFactory<OutcomesMarker> Service { get; private set; } = null!;

    public TestDatabase Database => _outcomesDb!;

    public async Task InitializeAsync()
    {
        _vhost = await TestVirtualHost.Create("outcomes");
        _outcomesDb = await TestDatabase.Create("outcomes");
        _neighbourDb = await TestDatabase.Create("neighbour");
        _neighbour = await MessagingHost.Start(_neighbourDb, _vhost, "neighbour", bus =>
        {
            bus.AddConsumer<NegativeEffectProbe>();
            bus.AddConsumer<MeasurementDueProbe>();
            bus.AddConsumer<MeasurementCompletedProbe>();
        });
        Service = new ServiceFactory<OutcomesMarker>(new Dictionary<string, string?>
        {
            ["Auth:Issuer"] = TestEnvironment.Issuer,
            ["Auth:Audience"] = TestEnvironment.Audience,
            ["Auth:SigningKey"] = TestEnvironment.SigningKey,
            ["RateLimiting:BurstLimit"] = "10000",
            ["RateLimiting:PermitsPerSecond"] = "10000",
            ["ConnectionStrings:Database"] = _outcomesDb.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = _vhost.AmqpUri,
            ["Outbox:PollInterval"] = "00:00:01",
            ["Outcomes:PseudonymKey"] = PseudonymKey,
        }, realPort: false, clock: Clock);
        _ = Service.Server;
    }

    /// <summary>A client for the outcomes service as a worker; the token outlives the fake clock's jumps.</summary>
    public HttpClient Client(string sector, string role, string? subject = null)
    {
        var client = Service.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            Tokens.For(sector, role, subject, expires: Clock.GetUtcNow().UtcDateTime.AddHours(2)));
        return client;
    }

    /// <summary>Publishes an event as the service that owns it would.</summary>
    public Task Publish<T>(T message) where T : class => _neighbour!.Bus.Publish(message);

    /// <summary>Opens a case (oppvekst leads) with a mother and a child in the household; waits until outcomes knows them.</summary>
    public async Task<(Guid CaseId, Guid Mother, Guid Child)> OpenCase(string sector = "oppvekst")
    {
        var caseId = Guid.CreateVersion7();
        var (mother, child) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var now = Clock.GetUtcNow();
        await Publish(new CaseOpened(caseId, $"{sector}-caseworker-worker", sector, now, Guid.CreateVersion7(), sector));
        await Publish(new HouseholdMemberAdded(caseId, Guid.Empty, mother, MemberRoles.Parent, new DateOnly(1988, 5, 1), false, "kari", now));
        await Publish(new HouseholdMemberAdded(caseId, Guid.Empty, child, MemberRoles.Child, DateOnly.FromDateTime(now.UtcDateTime).AddYears(-10), false, "kari", now));
        await Eventually.True(async () =>
            await Database.Scalar<long>("SELECT count(*) FROM outcomes.household_members WHERE case_id = @c", ("c", caseId)) == 2
            && await Database.Scalar<long>("SELECT count(*) FROM access.case_openings WHERE case_id = @c", ("c", caseId)) == 1,
            what: "outcomes to learn of the case");
        return (caseId, mother, child);
    }

    /// <summary>Makes the case active now (on the fake clock) and waits for its schedule.</summary>
    public async Task Activate(Guid caseId)
    {
        await Publish(new CaseStatusChanged(caseId, CaseStatuses.Intake, CaseStatuses.Active, "Plan agreed", "kari", "oppvekst", Clock.GetUtcNow()));
        await Eventually.True(async () =>
            await Database.Scalar<long>("SELECT count(*) FROM outcomes.measurements WHERE case_id = @c AND kind = 'baseline'", ("c", caseId)) == 1,
            what: "the baseline to be scheduled");
    }

    public async Task<Guid> MeasurementId(Guid caseId, string kind, int? offsetMonths = null) =>
        (await Database.Scalar<Guid>(
            "SELECT id FROM outcomes.measurements WHERE case_id = @c AND kind = @k AND COALESCE(offset_months, -1) = @o",
            ("c", caseId), ("k", kind), ("o", offsetMonths ?? -1)))!;

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        if (_neighbour is not null)
        {
            await _neighbour.DisposeAsync();
        }
        foreach (var database in new[] { _outcomesDb, _neighbourDb })
        {
            if (database is not null)
            {
                await database.DisposeAsync();
            }
        }
        if (_vhost is not null)
        {
            await _vhost.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class OutcomesCollection : ICollectionFixture<OutcomesSystem>
{
    public const string Name = "Outcomes";
}

/// <summary>What reached the other side of the bus, keyed by case: every delivery, with its message id.</summary>
public static class Received
{
    public static ConcurrentBag<(Guid? MessageId, NegativeEffectReported Message)> NegativeEffects { get; } = [];

    public static ConcurrentBag<(Guid? MessageId, MeasurementDue Message)> Due { get; } = [];

    public static ConcurrentBag<(Guid? MessageId, MeasurementCompleted Message)> Completed { get; } = [];
}

public sealed class NegativeEffectProbe : IConsumer<NegativeEffectReported>
{
    public Task Consume(ConsumeContext<NegativeEffectReported> context)
    {
        Received.NegativeEffects.Add((context.MessageId, context.Message));
        return Task.CompletedTask;
    }
}

public sealed class MeasurementDueProbe : IConsumer<MeasurementDue>
{
    public Task Consume(ConsumeContext<MeasurementDue> context)
    {
        Received.Due.Add((context.MessageId, context.Message));
        return Task.CompletedTask;
    }
}

public sealed class MeasurementCompletedProbe : IConsumer<MeasurementCompleted>
{
    public Task Consume(ConsumeContext<MeasurementCompleted> context)
    {
        Received.Completed.Add((context.MessageId, context.Message));
        return Task.CompletedTask;
    }
}
