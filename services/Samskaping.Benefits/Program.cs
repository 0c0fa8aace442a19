using Samskaping.Benefits;
using Samskaping.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.ListenLocallyByDefault(5085);
builder.AddBenefits();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapBenefitsApi();
app.Run();
