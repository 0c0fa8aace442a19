namespace Samskaping.Gateway.Tests;

/// <summary>One fake service and one gateway in front of it, shared by the tests that need nothing special.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public Tokens Tokens { get; } = new();

    public FakeService Services { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Services = await FakeService.StartAsync();
        Gateway = new GatewayHost(Tokens, Services.Address);
        _ = Gateway.Address;
    }

    public HttpClient Client(string? token = null) => Gateway.Client(token);

    /// <summary>A gateway of its own, for tests that change configuration or take a service down.</summary>
    public GatewayHost StartGateway(IReadOnlyDictionary<string, string?>? overrides = null, string? down = null)
    {
        var gateway = new GatewayHost(Tokens, Services.Address, overrides, down);
        _ = gateway.Address;
        return gateway;
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Services.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
