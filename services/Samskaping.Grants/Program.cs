using Samskaping.Grants;
using Samskaping.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.ListenLocallyByDefault(5083);
builder.AddGrants();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGrantsApi();
app.Run();
