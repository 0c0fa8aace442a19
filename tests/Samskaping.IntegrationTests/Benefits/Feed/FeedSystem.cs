using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Samskaping.Benefits;
using Samskaping.Cases;
using Samskaping.Contracts.Benefits;
using Samskaping.Contracts.Grants;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Cases;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.IntegrationTests.Messaging;
using Samskaping.NavSimulator;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Benefits.Feed;

/// <summary>
/// The benefits service with its status feed (two replicas), the real cases service (it names each case's applicant), the NAV
/// simulator on a real loopback port, and a host that plays grants: it publishes grants' events on the real bus and
/// records the benefits events that come back. Each on its own database, one RabbitMQ virtual host.
/// </summary>
public sealed class FeedSystem : IAsyncLifetime
{
    public const string FiksOrgId = NavSimulatorSettings.FiksOrgId;

    private readonly Dictionary<string, TestDatabase> _databases = [];
    private readonly List<IAsyncDisposable> _factories = [];
    private TestVirtualHost? _vhost;
    private MessagingHost? _grants;

    public Uri SimulatorAddress { get; private set; } = null!;

    public HttpClient Simulator { get; private set; } = null!;

    public Uri CasesAddress { get; private set; } = null!;

    public Uri BenefitsAddress { get; private set; } = null!;

    public TestDatabase BenefitsDatabase => _databases["benefits"];

    public async Task InitializeAsync()
    {
        _vhost = await TestVirtualHost.Create("feed");
        foreach (var name in new[] { "benefits", "cases", "grants" })
        {
            _databases[name] = await TestDatabase.Create("feed_" + name);
        }
        SimulatorAddress = Start<NavSimulatorMarker>(NavSimulatorSettings.Simulator());
        Simulator = new HttpClient { BaseAddress = SimulatorAddress };

        var cases = Common("cases");
        cases["Cases:PersonalData:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        cases["Cases:PersonalData:LookupKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        CasesAddress = Start<CasesMarker>(cases);

        var benefits = Common("benefits");
        foreach (var (key, value) in NavSimulatorSettings.Benefits(SimulatorAddress, CasesAddress))
        {
            benefits[key] = value;
        }
        benefits["Benefits:Nav:DeliveryTimeoutSeconds"] = "3";
        benefits["Benefits:Feed:PollIntervalMilliseconds"] = "250";
        benefits["Benefits:Feed:FirstBackoffMilliseconds"] = "100";
        benefits["Benefits:Feed:MaxBackoffSeconds"] = "1";
        benefits["Benefits:Feed:BreakSeconds"] = "1";
        benefits["Benefits:Feed:Retries"] = "1";
        BenefitsAddress = Start<BenefitsMarker>(benefits);
        // A second replica on the same database and queues: deliveries compete for the same feeds, as in production.
        Start<BenefitsMarker>(benefits);

        _grants = await MessagingHost.Start(_databases["grants"], _vhost, "grants-stand-in", bus =>
        {
            bus.AddConsumer<FeedDeliveredProbe>();
            bus.AddConsumer<FeedRejectedProbe>();
        });
    }

    /// <summary>Publishes an event on the bus as the grants service would.</summary>
    public Task Publish<T>(T message) where T : class => _grants!.Bus.Publish(message);

    /// <summary>A grant's request, approval and planned payment, published in that order.</summary>
    public async Task PublishGrant((GrantRequested Request, GrantApproved Approval, DisbursementPlanned Plan) grant)
    {
        await Publish(grant.Request);
        await Publish(grant.Approval);
        await Publish(grant.Plan);
    }

    public HttpClient Cases(string sector = "oppvekst", string role = "caseworker") => Client(CasesAddress, sector, role);

    public HttpClient Benefits(string sector = "oppvekst", string role = "caseworker") => Client(BenefitsAddress, sector, role);

    /// <summary>Opens a case through the cases service with an adult who has an identity number (the applicant);
    /// waits until benefits knows who may see it.</summary>
    public async Task<Guid> OpenCaseWithApplicant(string sector = "oppvekst")
    {
        var client = Cases(sector);
        var caseId = await CaseClient.Open(client, "Familien Feed");
        await CaseClient.AddAdult(client, caseId, "Mona Feed");
        await Eventually.True(async () =>
            await BenefitsDatabase.Scalar<long>("SELECT count(*) FROM access.case_openings WHERE case_id = @c", ("c", caseId)) == 1,
            what: "benefits to learn of the case");
        return caseId;
    }

    /// <summary>The feed as GET /api/benefits/cases/{id}/feed shows it, once <paramref name="done"/> holds.</summary>
    public Task<JsonElement> FeedWhen(Guid caseId, Func<JsonElement, bool> done, string what, TimeSpan? within = null) =>
        Eventually.Get(async () =>
        {
            var response = await Benefits().GetAsync($"/api/benefits/cases/{caseId}/feed");
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
        }, feed => feed.ValueKind == JsonValueKind.Object && done(feed), within ?? TimeSpan.FromSeconds(60), what);

    public static bool Delivered(JsonElement feed) =>
        feed.GetProperty("state").GetString() == "delivered"
        && feed.GetProperty("deliveredVersion").ValueKind == JsonValueKind.Number
        && feed.GetProperty("deliveredVersion").GetInt32() == feed.GetProperty("version").GetInt32();

    public static int Events(JsonElement feed) => feed.GetProperty("document").GetProperty("hendelser").GetArrayLength();

    /// <summary>What the simulator holds for a Digisos case: the latest document and every receipt in arrival order.</summary>
    public async Task<JsonObject> Received(string digisosId)
    {
        var response = await Simulator.GetAsync($"/simulator/digisos/{digisosId}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public async Task SetFault(string mode)
    {
        var response = mode == "None"
            ? await Simulator.DeleteAsync("/simulator/faults")
            : await Simulator.PutAsJsonAsync("/simulator/faults", new { mode, rate = 1.0 });
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }

    /// <summary>A grant from a fund reported to the benefit system, requested and approved, with one payment planned.</summary>
    public static (GrantRequested Request, GrantApproved Approval, DisbursementPlanned Plan) Grant(
        Guid caseId, DateTimeOffset at, string purpose = "Fotballsko", decimal amount = 1200m,
        string payeeKind = PayeeKinds.Family, string account = "12345678903", string? organisation = null)
    {
        var grantId = Guid.CreateVersion7();
        var fundId = Guid.CreateVersion7();
        var request = new GrantRequested(caseId, grantId, Guid.CreateVersion7(), fundId, amount, purpose, "fritid", "kari", "oppvekst", at, ReportToBenefitSystem: true);
        var approval = new GrantApproved(caseId, grantId, fundId, amount, "ola", null, at.AddMinutes(5));
        var plan = new DisbursementPlanned(caseId, grantId, Guid.CreateVersion7(), fundId, amount, DateOnly.FromDateTime(at.UtcDateTime).AddDays(7),
            payeeKind, payeeKind == PayeeKinds.ThirdParty ? "Byåsen IL" : "Mona Feed", account, organisation, purpose, true, at.AddMinutes(6));
        return (request, approval, plan);
    }

    private static HttpClient Client(Uri address, string sector, string role)
    {
        var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(sector, role));
        return client;
    }

    private Dictionary<string, string?> Common(string database)
    {
        var settings = TestEnvironment.ProcessSettings();
        settings["ConnectionStrings:Database"] = _databases[database].ConnectionString;
        settings["ConnectionStrings:RabbitMq"] = _vhost!.AmqpUri;
        settings["Outbox:PollInterval"] = "00:00:01";
        return settings;
    }

    /// <summary>Every log line of the simulator, cases and benefits, at the levels their configuration allows.</summary>
    public CapturedLogs Logs { get; } = new();

    private Uri Start<TMarker>(Dictionary<string, string?> settings) where TMarker : class
    {
        var factory = new ServiceFactory<TMarker>(settings, logs: Logs);
        _factories.Add(factory);
        return factory.Start();
    }

    public async Task DisposeAsync()
    {
        Simulator?.Dispose();
        if (_grants is not null)
        {
            await _grants.DisposeAsync();
        }
        foreach (var factory in Enumerable.Reverse(_factories))
        {
            await factory.DisposeAsync();
        }
        foreach (var database in _databases.Values)
        {
            await database.DisposeAsync();
        }
        if (_vhost is not null)
        {
            await _vhost.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class FeedCollection : ICollectionFixture<FeedSystem>
{
    public const string Name = "Benefits feed";
}

/// <summary>The benefits events that reached the other side of the bus.</summary>
public static class FeedEvents
{
    public static ConcurrentBag<StatusFeedDelivered> Delivered { get; } = [];

    public static ConcurrentBag<StatusFeedRejected> Rejected { get; } = [];
}

public sealed class FeedDeliveredProbe : IConsumer<StatusFeedDelivered>
{
    public Task Consume(ConsumeContext<StatusFeedDelivered> context)
    {
        FeedEvents.Delivered.Add(context.Message);
        return Task.CompletedTask;
    }
}

public sealed class FeedRejectedProbe : IConsumer<StatusFeedRejected>
{
    public Task Consume(ConsumeContext<StatusFeedRejected> context)
    {
        FeedEvents.Rejected.Add(context.Message);
        return Task.CompletedTask;
    }
}
