using System.Collections.Concurrent;
using System.Net.Http.Headers;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Coordination;
using Samskaping.Coordination;
using Samskaping.Coordination.ActionPlan;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.IntegrationTests.Messaging;
using Xunit;

namespace Samskaping.IntegrationTests.Coordination;

/// <summary>
/// The coordination service on its own fresh database and RabbitMQ virtual host, on a fake clock, with a probe
/// host on the same virtual host that publishes cases' and outcomes' events on the real bus (as those services
/// would) and records every event coordination publishes.
/// </summary>
public sealed class CoordinationFixture : IAsyncLifetime, IDisposable
{
    private TestVirtualHost? _vhost;
    private TestDatabase? _probeDatabase;
    private ServiceFactory<CoordinationMarker>? _service;
    private MessagingHost? _probe;

    /// <summary>Starts at the real present (tokens are checked against it too) and moves 1 ms on every reading, so events stay in order.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

    public TestDatabase Database { get; private set; } = null!;

    /// <summary>The service's container, e.g. to measure its meters.</summary>
    public IServiceProvider Services => _service!.Services;

    public ReviewScheduler Scheduler => _service!.Services.GetRequiredService<ReviewScheduler>();

    public DateOnly Today => ActionPlanRules.Today(Clock);

    public async Task InitializeAsync()
    {
        _vhost = await TestVirtualHost.Create("coord");
        Database = await TestDatabase.Create("coordination");
        _probeDatabase = await TestDatabase.Create("coordprobe");
        _service = new ServiceFactory<CoordinationMarker>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = Database.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = _vhost.AmqpUri,
            ["Auth:Issuer"] = TestEnvironment.Issuer,
            ["Auth:Audience"] = TestEnvironment.Audience,
            ["Auth:SigningKey"] = TestEnvironment.SigningKey,
            ["RateLimiting:BurstLimit"] = "10000",
            ["RateLimiting:PermitsPerSecond"] = "10000",
            ["Outbox:PollInterval"] = "00:00:02",
            // The tests run the scheduler's pass themselves; its own timer ticks on the fake clock only after 30 days.
            ["Coordination:ReviewScanInterval"] = "30.00:00:00",
        }, realPort: false, clock: Clock);
        _ = _service.Server;
        _probe = await MessagingHost.Start(_probeDatabase, _vhost, "coordination-probe", bus => bus.AddConsumer<CoordinationEventProbe>());
    }

    public HttpClient Client(string sector, string role, string subject)
    {
        var client = _service!.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            Tokens.For(sector, role, subject, expires: DateTime.UtcNow.AddDays(60)));
        return client;
    }

    public HttpClient Anonymous() => _service!.CreateClient();

    /// <summary>Publishes CaseOpened as the cases service would, and waits until coordination made the group.</summary>
    public async Task<Guid> OpenCase(string openedBy, string sector)
    {
        var caseId = Guid.CreateVersion7();
        await Publish(new CaseOpened(caseId, openedBy, sector, Clock.GetUtcNow()));
        await Eventually.True(async () => await Database.Scalar<long>(
            "SELECT count(*) FROM coordination.groups WHERE case_id = @c", ("c", caseId)) == 1, what: "the coordination group");
        return caseId;
    }

    /// <summary>Publishes ConsentGiven covering <paramref name="sectors"/>, and waits until the access read model has it.</summary>
    public Task<Guid> GiveConsent(Guid caseId, params string[] sectors) => GiveConsentNaming(caseId, [DataCategories.Needs], sectors);

    /// <summary>As <see cref="GiveConsent"/>, for coordination and the data categories <paramref name="categories"/>.</summary>
    public async Task<Guid> GiveConsentNaming(Guid caseId, string[] categories, params string[] sectors)
    {
        var consentId = Guid.CreateVersion7();
        var person = Guid.NewGuid();
        await Publish(new ConsentGiven(caseId, consentId, person, person, sectors, [ConsentPurposes.Coordination], categories,
            Clock.GetUtcNow().AddHours(-1), null, "cases-worker", Clock.GetUtcNow()));
        await Eventually.True(async () => await Database.Scalar<long>(
            "SELECT count(*) FROM access.case_consents WHERE consent_id = @c AND valid_from IS NOT NULL", ("c", consentId)) == 1, what: "the consent");
        return consentId;
    }

    public Task WithdrawConsent(Guid caseId, Guid consentId) =>
        Publish(new ConsentWithdrawn(caseId, consentId, Guid.NewGuid(), "the family withdrew it", "cases-worker", Clock.GetUtcNow()));

    public Task Publish<T>(T message) where T : class => _probe!.Bus.Publish(message);

    public Task Publish<T>(T message, Action<PublishContext<T>> context) where T : class => _probe!.Bus.Publish(message, context);

    public async Task DisposeAsync()
    {
        if (_probe is not null)
        {
            await _probe.DisposeAsync();
        }
        _service?.Dispose();
        if (_probeDatabase is not null)
        {
            await _probeDatabase.DisposeAsync();
        }
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
        if (_vhost is not null)
        {
            await _vhost.DisposeAsync();
        }
    }

    public void Dispose() => _service?.Dispose();
}

[CollectionDefinition(Name)]
public sealed class CoordinationCollection : ICollectionFixture<CoordinationFixture>
{
    public const string Name = "Coordination";
}

/// <summary>Every event coordination publishes, as another service would receive it.</summary>
public sealed class CoordinationEventProbe :
    IConsumer<SectorJoinedCase>, IConsumer<SectorLeftCase>, IConsumer<CoordinatorAssigned>, IConsumer<CoordinatorHandoverRequested>,
    IConsumer<MeasureAgreed>, IConsumer<MeasureCompleted>, IConsumer<ReviewOverdue>
{
    private static readonly ConcurrentQueue<object> Received = new();

    public static IReadOnlyList<T> Of<T>(Func<T, bool> which) => [.. Received.OfType<T>().Where(which)];

    public Task Consume(ConsumeContext<SectorJoinedCase> context) => Record(context.Message);

    public Task Consume(ConsumeContext<SectorLeftCase> context) => Record(context.Message);

    public Task Consume(ConsumeContext<CoordinatorAssigned> context) => Record(context.Message);

    public Task Consume(ConsumeContext<CoordinatorHandoverRequested> context) => Record(context.Message);

    public Task Consume(ConsumeContext<MeasureAgreed> context) => Record(context.Message);

    public Task Consume(ConsumeContext<MeasureCompleted> context) => Record(context.Message);

    public Task Consume(ConsumeContext<ReviewOverdue> context) => Record(context.Message);

    private static Task Record(object message)
    {
        Received.Enqueue(message);
        return Task.CompletedTask;
    }
}
