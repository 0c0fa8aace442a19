using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Samskaping.Gateway;

/// <summary>
/// What the gateway checks of a request's head before anything reads it, each refusal a problem that says what was
/// wrong: a path and query no service would read (414, <see cref="RequestTargetLimit"/>), more header lines or bytes
/// than <see cref="GatewayOptions"/> allow (431), and a header value that is not text (400 naming the header).
/// Kestrel's own limits sit above these (<see cref="RequestBodyLimit.AddRequestBodyLimit"/>), so that a caller over a
/// limit gets these answers and not Kestrel's bare ones, which come only from far past the limits.
/// </summary>
internal static class RequestHeadLimits
{
    /// <summary>Kestrel's own limits are this many times the gateway's: the outer bound for what is read at all.</summary>
    public const int KestrelFactor = 2;

    // Control characters are not allowed in a field value (RFC 9110 §5.5); tab is.
    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create(
        [.. Enumerable.Range(0, 32).Where(c => c != '\t').Select(c => (char)c), '\u007f']);

    public static IApplicationBuilder UseRequestHeadLimits(this IApplicationBuilder app) =>
        app.Use(RequestTargetLimit.RejectLongTarget).Use(RejectHeaders);

    private static async Task RejectHeaders(HttpContext context, Func<Task> next)
    {
        var limits = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var (lines, bytes) = (0, 0);
        string? notText = null;
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
            {
                lines++;
                // As Kestrel counts a header line: name, ": ", value, CRLF.
                bytes += name.Length + Encoding.UTF8.GetByteCount(value ?? "") + 4;
                notText ??= value is not null && value.AsSpan().ContainsAny(ControlCharacters) ? name : null;
            }
        }
        if (lines > limits.MaxRequestHeaderCount || bytes > limits.MaxRequestHeadersTotalBytes)
        {
            await Refuse(context, new ProblemDetails
            {
                Status = StatusCodes.Status431RequestHeaderFieldsTooLarge,
                Title = "The request headers are too large.",
                Detail = $"The gateway accepts at most {limits.MaxRequestHeaderCount} header lines of at most {limits.MaxRequestHeadersTotalBytes} bytes together.",
            });
            return;
        }
        if (notText is not null)
        {
            // The forwarder would refuse CR and LF (a 502), and the others could smuggle text into whatever logs or echoes
            // the header.
            await Refuse(context, new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [notText] = ["A header value is text: no control characters (tab is allowed)."],
            })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request headers could not be read.",
            });
            return;
        }
        await next();
    }

    internal static async Task Refuse(HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status!.Value;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
