using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Samskaping.Benefits.Lookup;

/// <summary>A 503 problem that says what is down and when to try again (the Retry-After header and the body agree).</summary>
public static class Unavailable
{
    public static ProblemHttpResult Problem(HttpContext context, string title, string detail, string reason, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: title, detail: detail,
            extensions: new Dictionary<string, object?> { ["reason"] = reason, ["retryAfterSeconds"] = retryAfterSeconds });
    }
}
