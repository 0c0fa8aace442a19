using Samskaping.Outcomes;
using Samskaping.ServiceDefaults;

// The slim builder: no IIS integration, QUIC or HTTPS certificate loading, none of which a pod behind an ingress uses
// (a few MiB of idle memory each, docs/performance.md).
var builder = WebApplication.CreateSlimBuilder(args);
builder.AddServiceDefaults();
builder.ListenLocallyByDefault(5084);
builder.AddOutcomes();

var app = builder.Build();
app.UseServiceDefaults();
app.MapOutcomesApi();
app.Run();
