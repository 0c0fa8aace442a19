using Samskaping.Gateway;
using Samskaping.ServiceDefaults;

// The slim builder: no IIS integration, QUIC or HTTPS certificate loading, none of which a pod behind an ingress uses
// (a few MiB of idle memory each, docs/performance.md).
var builder = WebApplication.CreateSlimBuilder(args);

builder.AddServiceDefaults();
builder.AddGateway();

var app = builder.Build();

app.UseSecurityHeaders();
app.UseCorrelationId();
app.UseRequestHeadLimits();
app.UseCors();
app.UseServiceDefaults();
app.MapApiReference();
app.MapServiceRoutes();
app.MapApiPathsBeforeWorkspace();

app.Run();
