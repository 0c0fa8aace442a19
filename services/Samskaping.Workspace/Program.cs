using Samskaping.ServiceDefaults;
using Samskaping.Workspace;

var builder = WebApplication.CreateBuilder(args);
builder.AddTelemetry();
builder.AddWorkspace();

var app = builder.Build();
app.UseWorkspace();
app.Run();

namespace Samskaping.Workspace
{
    /// <summary>Marker for WebApplicationFactory: lets tests host the workspace in-process.</summary>
    public sealed class WorkspaceMarker;
}
