using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Primitives;

namespace Samskaping.Gateway;

/// <summary>
/// Gives every request an <c>X-Correlation-Id</c>: the caller's when it is a sane token, otherwise a new one. The id
/// travels to the service (YARP copies request headers), comes back on the response, and sits in the log scope and on
/// the trace, so a caseworker's support ticket can be matched to logs and traces.
/// </summary>
internal sealed class CorrelationId(RequestDelegate next, ILogger<CorrelationId> logger)
{
    public const string HeaderName = "X-Correlation-Id";
    public const int MaxLength = 64;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public async Task InvokeAsync(HttpContext context)
    {
        var received = context.Request.Headers[HeaderName];
        var id = IsSane(received) ? received.ToString() : Guid.CreateVersion7().ToString("N");
        context.Request.Headers[HeaderName] = id;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = id;
            return Task.CompletedTask;
        });
        Activity.Current?.SetTag("samskaping.correlation_id", id);

        using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id }))
        {
            await next(context);
        }
    }

    /// <summary>One value of 1–64 characters from <c>[A-Za-z0-9-_]</c>: anything else could smuggle text into logs.</summary>
    internal static bool IsSane(StringValues values) =>
        values.Count == 1 && values[0] is { Length: > 0 and <= MaxLength } value && !value.AsSpan().ContainsAnyExcept(Allowed);
}

internal static class CorrelationIdExtensions
{
    public static IApplicationBuilder UseCorrelationId(this IApplicationBuilder app) => app.UseMiddleware<CorrelationId>();
}
