using Samskaping.IdentityProvider;
using Samskaping.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "demo-people.json"), optional: false);
builder.AddTelemetry();
builder.AddIdentityProvider();
// Loopback port 5087 only when nothing else says where to listen (ASPNETCORE_URLS, Kestrel endpoints).
if (!new[] { WebHostDefaults.ServerUrlsKey, WebHostDefaults.HttpPortsKey, WebHostDefaults.HttpsPortsKey }
        .Any(key => !string.IsNullOrEmpty(builder.Configuration[key]))
    && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
{
    builder.WebHost.UseUrls("http://127.0.0.1:5087");
}

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapHealthChecks("/health/live");
app.MapHealthChecks("/health/ready");
app.MapGet("/", () => Results.Redirect(SignInPage.Path + "?returnUrl=/"));
app.MapSignInPage();
app.MapCitizenSignIn();
app.MapConnectEndpoints();
app.Run();

namespace Samskaping.IdentityProvider
{
    /// <summary>Marker for WebApplicationFactory: lets tests host the provider in-process.</summary>
    public sealed class IdentityProviderMarker;
}
