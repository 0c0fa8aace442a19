using Samskaping.Cases;
using Samskaping.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.ListenLocallyByDefault(5081);
builder.AddCases();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapCasesApi();
app.Run();
