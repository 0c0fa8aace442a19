using Samskaping.Outcomes;
using Samskaping.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.ListenLocallyByDefault(5084);
builder.AddOutcomes();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapOutcomesApi();
app.Run();
