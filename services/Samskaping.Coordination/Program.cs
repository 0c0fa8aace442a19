using Samskaping.Coordination;
using Samskaping.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.ListenLocallyByDefault(5082);
builder.AddCoordination();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapCoordinationApi();
app.Run();
