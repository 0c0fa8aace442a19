using Samskaping.Benefits;
using Samskaping.ServiceDefaults;

// The slim builder: no IIS integration, QUIC or HTTPS certificate loading, none of which a pod behind an ingress uses
// (a few MiB of idle memory each, docs/performance.md).
var builder = WebApplication.CreateSlimBuilder(args);
builder.AddServiceDefaults();
builder.ListenLocallyByDefault(5085);
builder.AddBenefits();

var app = builder.Build();
app.UseServiceDefaults();
app.MapBenefitsApi();
app.Run();
