using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;

namespace Samskaping.Gateway.Tests;

/// <summary>
/// The real gateway on a real Kestrel port (Kestrel enforces the body size limit; the test server would not), with
/// every cluster pointed at <paramref name="services"/> unless <see cref="Down"/> names it.
/// </summary>
public sealed class GatewayHost : WebApplicationFactory<GatewayMarker>
{
    public static readonly string[] ServiceNames = ["cases", "coordination", "grants", "outcomes", "benefits"];

    private readonly Dictionary<string, string?> settings;

    public GatewayHost(Tokens tokens, Uri services, IReadOnlyDictionary<string, string?>? overrides = null, string? down = null)
    {
        settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Auth:SigningKey"] = tokens.SigningKey,
            ["Gateway:MaxRequestBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var name in ServiceNames)
        {
            var address = name == down ? FakeService.UnusedAddress() : services;
            settings[$"ReverseProxy:Clusters:{name}:Destinations:{name}:Address"] = address.ToString();
        }
        settings["Gateway:WorkspaceAddress"] = (down == "workspace" ? FakeService.UnusedAddress() : services).ToString();
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>What the gateway logged, with scopes.</summary>
    public RecordedLogs Logs { get; } = new();

    /// <summary>Small, so size tests send little.</summary>
    public const int MaxBodyBytes = 4096;

    public Uri Address
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return new Uri(address);
        }
    }

    /// <summary>A plain HTTP client against the Kestrel port, optionally with a bearer token.</summary>
    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient(new AsSent()) { BaseAddress = Address };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>
    /// Sends exactly the headers a test sets, as a caller without telemetry would. Otherwise the gateway's OpenTelemetry,
    /// listening in this same process, would instrument the test's HttpClient and write its own traceparent.
    /// </summary>
    private sealed class AsSent() : DelegatingHandler(
        new SocketsHttpHandler { ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator() })
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var quiet = SuppressInstrumentationScope.Begin();
            return await base.SendAsync(request, cancellationToken);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(Logs));
    }
}
