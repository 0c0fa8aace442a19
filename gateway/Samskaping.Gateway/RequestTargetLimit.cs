using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Samskaping.Gateway;

/// <summary>
/// A path and query too long for a service's Kestrel (8 KiB request line) is refused here, as problem details. Before,
/// the service's server answered a bare 414 with no body, which the gateway passed on (found by the API fuzzer).
/// </summary>
internal static class RequestTargetLimit
{
    /// <summary>Leaves room in the service's 8,192-byte request line for the method and the protocol version.</summary>
    public const int MaxTargetLength = 8_000;

    /// <summary>A pipeline step (<see cref="RequestHeadLimits"/>): refuse a request target no service would read.</summary>
    public static async Task RejectLongTarget(HttpContext context, Func<Task> next)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget?.Length ?? 0;
        var forwarded = context.Request.Path.ToUriComponent().Length + (context.Request.QueryString.Value?.Length ?? 0);
        if (Math.Max(raw, forwarded) > MaxTargetLength)
        {
            context.Response.StatusCode = StatusCodes.Status414UriTooLong;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status414UriTooLong,
                    Title = "The request's path and query are too long.",
                    Detail = $"The gateway accepts a path and query of at most {MaxTargetLength} characters. Ids go in the path, search text in a short query.",
                },
            });
            return;
        }
        await next();
    }
}
