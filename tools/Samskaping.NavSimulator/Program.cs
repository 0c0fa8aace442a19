using Samskaping.NavSimulator;
using Samskaping.NavSimulator.Benefits;
using Samskaping.NavSimulator.Digisos;
using Samskaping.NavSimulator.Faults;
using Samskaping.NavSimulator.Inbound;
using Samskaping.NavSimulator.Tokens;

var builder = WebApplication.CreateBuilder(args);
// NAV's Digisos contract puts the applicant's identity number in the query (…/ny?sokerFnr=…), and ASP.NET Core's
// "Request starting/finished" lines carry the full URL: never write them, whatever the configured level.
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
builder.Services.AddOptions<SimulatorOptions>()
    .BindConfiguration(SimulatorOptions.Section)
    .ValidateDataAnnotations()
    .Validate(o => TryKey(o.SigningKey), "NavSimulator:SigningKey must be base64 of at least 32 bytes.")
    .ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<FaultInjection>();
builder.Services.AddSimulatorTokens();
builder.Services.AddSimulatorBenefits();
builder.Services.AddInboundSender();
builder.Services.AddSimulatorDigisos();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
// Loopback port 5086 only when nothing else says where to listen (ASPNETCORE_URLS, or the container image's
// ASPNETCORE_HTTP_PORTS, or Kestrel endpoints).
if (!new[] { WebHostDefaults.ServerUrlsKey, WebHostDefaults.HttpPortsKey, WebHostDefaults.HttpsPortsKey }
        .Any(key => !string.IsNullOrEmpty(builder.Configuration[key]))
    && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
{
    builder.WebHost.UseUrls("http://127.0.0.1:5086");
}

var app = builder.Build();
// Read the Digisos data file back now: a damaged one stops the start with its message, not the first request.
app.Services.GetRequiredService<DigisosInbox>();
app.UseFaultInjection();
app.UseAuthentication();
app.UseAuthorization();
app.MapOpenApi();
app.MapGet("/health/live", () => TypedResults.Ok("live")).AllowAnonymous();
app.MapGet("/health/ready", () => TypedResults.Ok("ready")).AllowAnonymous();
app.MapTokenEndpoint();
app.MapFaultEndpoints();
app.MapBenefitEndpoints();
app.MapInboundSender();
app.MapDigisosEndpoints();
app.Run();

static bool TryKey(string key)
{
    var buffer = new byte[key.Length];
    return Convert.TryFromBase64String(key, buffer, out var written) && written >= 32;
}

namespace Samskaping.NavSimulator
{
    /// <summary>Marker for WebApplicationFactory: lets tests host the simulator in-process.</summary>
    public sealed class NavSimulatorMarker;
}
