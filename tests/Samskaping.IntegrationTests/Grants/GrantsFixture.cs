using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Samskaping.Contracts.Cases;
using Samskaping.Grants;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Grants;

/// <summary>
/// The grants service alone, in process, over its own fresh database and RabbitMQ virtual host. Cases are opened
/// and closed the way production does it: by publishing cases' events on the real broker.
/// </summary>
public class GrantsFixture : IAsyncLifetime, IDisposable
{
    /// <summary>Valid mod-11 numbers for payees.</summary>
    public const string FamilyAccount = "12345678903";
    public const string ClubAccount = "15031020309";
    public const string ClubOrganisation = "974000008";

    private TestVirtualHost? _vhost;
    private ServiceFactory<GrantsMarker>? _service;

    public TestDatabase Database { get; private set; } = null!;

    public IServiceProvider Services => _service!.Services;

    /// <summary>The service's clock: the machine's, unless a fixture for time-dependent rules gives a fake one.</summary>
    protected virtual TimeProvider? Clock => null;

    public NpgsqlDataSource DataSource => Services.GetRequiredService<NpgsqlDataSource>();

    public IBus Bus => Services.GetRequiredService<IBus>();

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.Create("grants");
        _vhost = await TestVirtualHost.Create("grants");
        _service = new ServiceFactory<GrantsMarker>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { MaxPoolSize = 80 }.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = _vhost.AmqpUri,
            ["Outbox:PollInterval"] = "00:00:02",
            ["Metrics:ReadingInterval"] = "00:00:00",
            ["Auth:Issuer"] = TestEnvironment.Issuer,
            ["Auth:Audience"] = TestEnvironment.Audience,
            ["Auth:SigningKey"] = TestEnvironment.SigningKey,
            ["RateLimiting:BurstLimit"] = "100000",
            ["RateLimiting:PermitsPerSecond"] = "100000",
        }, realPort: false, clock: Clock);
        _service.Start();
    }

    public HttpClient Client(string sector, string role, string? subject = null)
    {
        var client = _service!.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(sector, role, subject));
        return client;
    }

    /// <summary>Opens a case in <paramref name="sector"/> through the bus and waits until grants knows it.</summary>
    public async Task<Guid> OpenCase(string sector = "oppvekst", Guid? householdId = null, string openedBy = "opener")
    {
        var caseId = Guid.CreateVersion7();
        await Bus.Publish(new CaseOpened(caseId, openedBy, sector, DateTimeOffset.UtcNow, householdId ?? Guid.CreateVersion7(), "self"));
        using var worker = Client(sector, "caseworker");
        await Eventually.True(async () => (await worker.GetAsync($"/api/grants/cases/{caseId}")).StatusCode == HttpStatusCode.OK, what: "grants to know the case");
        return caseId;
    }

    /// <summary>Creates an oppvekst fund as oppvekst's grant-approver "fund-admin" and returns its JSON (asserting 201).</summary>
    public async Task<JsonElement> CreateFund(
        decimal budget, decimal threshold = 5000m, decimal householdCap = 100_000m, decimal lowBalance = 0m, string? name = null, bool report = true)
    {
        using var approver = Client("oppvekst", "grant-approver", "fund-admin");
        var response = await Post(approver, "/api/grants/funds", FundBody(budget, threshold, householdCap, lowBalance, name, report));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The body of a fund whose period runs around today; a test changes a value by its JSON name.</summary>
    public static Dictionary<string, object?> FundBody(
        decimal budget, decimal threshold = 5000m, decimal householdCap = 100_000m, decimal lowBalance = 0m, string? name = null, bool report = true,
        string owner = "oppvekst")
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return new()
        {
            ["name"] = name ?? "Fond " + Guid.NewGuid().ToString("N")[..10],
            ["owner"] = owner,
            ["periodStart"] = today.AddDays(-30),
            ["periodEnd"] = today.AddDays(330),
            ["budget"] = budget,
            ["approvalThreshold"] = threshold,
            ["householdCap"] = householdCap,
            ["lowBalanceThreshold"] = lowBalance,
            ["reportToBenefitSystem"] = report,
        };
    }

    public static object Request(Guid fundId, decimal amount, string purpose = "Fotballsko og treningsavgift til Sara", object? instalments = null) => new
    {
        fundId,
        amount,
        purpose,
        category = "leisure",
        payee = new { kind = "family", name = "Familien Berg", accountNumber = FamilyAccount },
        instalments,
    };

    public static async Task<HttpResponseMessage> Post(HttpClient client, string path, object? body, string? key = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        message.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return await client.SendAsync(message);
    }

    /// <summary>Requests a grant and returns its JSON (asserting 201).</summary>
    public static async Task<JsonElement> RequestGrant(HttpClient client, Guid caseId, object body)
    {
        var response = await Post(client, $"/api/grants/cases/{caseId}/grants", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<(decimal Available, decimal Reserved, decimal Paid, decimal BudgetSource)> Balances(Guid fundId)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT sum(balance) FILTER (WHERE kind = 'available'), sum(balance) FILTER (WHERE kind = 'reserved'),
                   sum(balance) FILTER (WHERE kind = 'paid'), sum(balance) FILTER (WHERE kind = 'budget-source')
            FROM grants.account_balances WHERE fund_id = @f
            """, connection);
        command.Parameters.AddWithValue("f", fundId);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetDecimal(0), reader.GetDecimal(1), reader.GetDecimal(2), reader.GetDecimal(3));
    }

    /// <summary>The ledger's invariants over the whole database: every transaction sums to zero, every balance equals its entries.</summary>
    public async Task AssertLedgerConsistent()
    {
        (await Database.Scalar<long>(
            "SELECT count(*) FROM (SELECT transaction_id FROM grants.ledger_entries GROUP BY transaction_id HAVING sum(amount) <> 0 OR count(*) < 2) t"))
            .ShouldBe(0, "every ledger transaction sums to zero");
        (await Database.Scalar<long>(
            """
            SELECT count(*) FROM grants.account_balances a
            LEFT JOIN (SELECT account_id, sum(amount) AS total FROM grants.ledger_entries GROUP BY account_id) e ON e.account_id = a.id
            WHERE a.balance <> coalesce(e.total, 0)
            """)).ShouldBe(0, "every account's balance equals the sum of its entries");
        (await Database.Scalar<long>(
            "SELECT count(*) FROM grants.ledger_transactions t WHERE NOT EXISTS (SELECT 1 FROM grants.ledger_entries e WHERE e.transaction_id = t.id)"))
            .ShouldBe(0, "no transaction without entries");
    }

    /// <summary>Outbox rows of one event type whose JSON field <paramref name="field"/> is <paramref name="value"/>.</summary>
    public Task<long> Events(string type, string field, Guid value) =>
        Database.Scalar<long>(
            "SELECT count(*) FROM messaging.outbox WHERE message_type = @type AND body ->> @field = @value",
            ("type", $"Samskaping.Contracts.Grants.{type}"), ("field", field), ("value", value.ToString()));

    public void Dispose()
    {
        _service?.Dispose();
        GC.SuppressFinalize(this);
    }

    public async Task DisposeAsync()
    {
        _service?.Dispose();
        await Database.DisposeAsync();
        if (_vhost is not null)
        {
            await _vhost.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GrantsCollection : ICollectionFixture<GrantsFixture>
{
    public const string Name = "Grants";
}
