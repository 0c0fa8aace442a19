using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Samskaping.Gateway.Tests;

/// <summary>What the fake service saw of a forwarded request.</summary>
public sealed record EchoedRequest(string Method, string Path, string Query, Dictionary<string, string> Headers, long BodyLength)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>
/// A real HTTP server on a free loopback port standing in for every service behind the gateway: it answers
/// <c>/api/...</c> by echoing what it received, <c>/health/ready</c> with 200 and <c>/openapi/v1.json</c> with a document,
/// plus two misbehaving endpoints.
/// </summary>
public sealed class FakeService : IAsyncDisposable
{
    public const string DocumentTitle = "Fake service";

    public const string WorkspacePolicy = "default-src 'self'; frame-ancestors 'none'";

    private readonly WebApplication app;

    private FakeService(WebApplication app, Uri address) => (this.app, Address) = (app, address);

    public Uri Address { get; }

    public static async Task<FakeService> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "FakeService" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();

        app.MapGet("/health/ready", () => Results.Text("Healthy"));
        app.MapGet("/openapi/v1.json", () => Results.Text(
            """{"openapi":"3.1.1","info":{"title":"Fake service","version":"v1"},"paths":{}}""", "application/json"));
        app.Map("/api/{**rest}", Echo);
        // The workspace's root page, with a policy of its own that the gateway must keep.
        app.MapGet("/", (HttpContext context) =>
        {
            context.Response.Headers.ContentSecurityPolicy = WorkspacePolicy;
            return Results.Text("<!DOCTYPE html><title>Workspace</title>", "text/html");
        });
        // A service's own error without a body (no Content-Length either), to see that the gateway leaves it alone.
        app.MapGet("/api/cases/empty-not-found", async context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.StartAsync();
        });
        // A service that never answers: the gateway's timeout must end the wait.
        app.MapGet("/api/grants/never", async context => await Task.Delay(Timeout.Infinite, context.RequestAborted));

        await app.StartAsync();
        return new FakeService(app, new Uri(app.Urls.Single()));
    }

    /// <summary>An address where nothing listens: a service that is down.</summary>
    public static Uri UnusedAddress()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}");
    }

    private static async Task<EchoedRequest> Echo(HttpRequest request, CancellationToken cancellationToken)
    {
        var length = 0L;
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            length += read;
        }
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return new EchoedRequest(request.Method, request.Path, request.QueryString.Value ?? "", headers, length);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
