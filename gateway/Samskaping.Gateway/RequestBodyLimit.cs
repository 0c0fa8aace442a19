using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Samskaping.Gateway;

/// <summary>
/// Bodies larger than <see cref="GatewayOptions.MaxRequestBodyBytes"/> never reach a service. A declared
/// Content-Length over the limit is refused before anything is forwarded; a chunked body that grows past it is cut off
/// by Kestrel's <c>MaxRequestBodySize</c>, and <see cref="ProxyProblems"/> turns YARP's read failure into the same 413.
/// </summary>
internal static class RequestBodyLimit
{
    /// <summary>
    /// Kestrel's limits from <see cref="GatewayOptions"/>: body size, the outer bounds of the request line and the
    /// headers (<see cref="RequestHeadLimits"/> refuses at the configured limits, as problem details), and the time a
    /// client may take to send its headers or keep an idle connection (slow clients must not hold connections open).
    /// </summary>
    public static void AddRequestBodyLimit(this IServiceCollection services) =>
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<GatewayOptions>>((kestrel, gateway) =>
        {
            var limits = gateway.Value;
            kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestLineSize = RequestHeadLimits.KestrelFactor * 8 * 1024;
            kestrel.Limits.MaxRequestHeaderCount = RequestHeadLimits.KestrelFactor * limits.MaxRequestHeaderCount;
            kestrel.Limits.MaxRequestHeadersTotalSize = RequestHeadLimits.KestrelFactor * limits.MaxRequestHeadersTotalBytes;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(limits.RequestHeadersTimeoutSeconds);
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(limits.KeepAliveTimeoutSeconds);
        });

    /// <summary>A proxy pipeline step: refuse up front what the caller says is too large.</summary>
    public static async Task RejectDeclaredOversize(HttpContext context, Func<Task> next)
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value;
        if (context.Request.ContentLength > limit.MaxRequestBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>()
                .TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = TooLarge(limit) });
            return;
        }
        await next();
    }

    public static ProblemDetails TooLarge(GatewayOptions limit) => new()
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = "The request body is too large.",
        Detail = $"The gateway accepts request bodies of at most {limit.MaxRequestBodyBytes} bytes.",
    };
}
