using Samskaping.Gateway;
using Samskaping.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGateway();

var app = builder.Build();

app.UseSecurityHeaders();
app.UseCorrelationId();
app.UseCors();
app.MapDefaultEndpoints();
app.MapApiReference();
app.MapServiceRoutes();

app.Run();
