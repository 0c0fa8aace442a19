using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Samskaping.ServiceDefaults;

/// <summary>
/// Turns what goes wrong while reading a request into an RFC 9457 answer that names the field, a database that
/// cannot be reached for now into a 503 with Retry-After, and anything unexpected into a 500 without internals. A stack trace never leaves the process.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException bad => FromBadRequest(bad),
            // The service unavailable for a moment, not a fault in the request or the code: 503, not 500.
            _ when DatabaseErrors.Unavailable(exception) => Unavailable(context, exception),
            _ => null,
        };
        if (problem is null)
        {
            LogUnhandled(logger, exception, context.Request.Method, context.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Something went wrong on our side.",
                Detail = "The request was not completed. Nothing was changed; it is safe to try again.",
            };
        }

        context.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>Seconds a caller is asked to wait when the database cannot be reached: about a restart or a failover.</summary>
    internal const int DatabaseRetryAfterSeconds = 5;

    private ProblemDetails Unavailable(HttpContext context, Exception exception)
    {
        LogDatabaseUnavailable(logger, exception, context.Request.Method, context.Request.Path);
        context.Response.Headers.RetryAfter = DatabaseRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The service cannot reach its database right now.",
            Detail = "The request may not have been completed. Try again after Retry-After seconds; a money-moving request " +
                "is safe to repeat with the same Idempotency-Key.",
        };
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "The request body is too large.",
                Detail = "Send a smaller body.",
            };
        }

        var json = FindJsonException(bad);
        if (json is not null)
        {
            // A syntax error (the reader's own exception inside) is about the whole body; otherwise the body or one
            // field held well-formed JSON of the wrong type.
            var malformed = json.InnerException?.GetType().Name == "JsonReaderException";
            var field = malformed ? "body" : FieldName(json is RefusedJsonValue { OfList: true } ? ListPath(json.Path) : json.Path);
            return new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [field] = [malformed ? $"The body is not well-formed JSON (the problem is near {FieldName(json.Path)}, line {json.LineNumber + 1})."
                    : field == "body" ? "A JSON object is required (the body is JSON, but not an object)."
                    : json is RefusedJsonValue refused ? refused.Reason
                    : "The value has the wrong type or format for this field."],
            })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request body could not be read.",
            };
        }

        if (bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) || bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                ["body"] = ["A JSON object with Content-Type application/json is required."],
            })
            {
                Status = bad.StatusCode,
                Title = "The request body could not be read.",
            };
        }

        return new ProblemDetails
        {
            Status = bad.StatusCode,
            Title = "The request could not be read.",
            Detail = "A required value is missing or has the wrong format.",
        };
    }

    private static JsonException? FindJsonException(Exception exception)
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is JsonException json)
            {
                return json;
            }
        }
        return null;
    }

    /// <summary>"$.sectors[2]" → "$.sectors": the list itself, from the path of the position after its last item.</summary>
    private static string? ListPath(string? path) =>
        path is not null && path.EndsWith(']') && path.LastIndexOf('[') is > 0 and var open ? path[..open] : path;

    /// <summary>"$.need.text" → "need.text"; a document that is not JSON at all → "body".</summary>
    internal static string FieldName(string? path) =>
        path is null or "$" or "" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    // The exception goes to the operators' log, never to the caller. Npgsql leaves parameter values out of its
    // messages (IncludeErrorDetail is off), so no person's data rides along.
    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception while serving {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable while serving {Method} {Path}; answered 503")]
    private static partial void LogDatabaseUnavailable(ILogger logger, Exception exception, string method, string path);
}

/// <summary>
/// Problem details whatever the caller's <c>Accept</c> says. The framework's writer writes only for a caller that
/// accepts JSON: for a browser's <c>text/html</c> it wrote nothing, so a 401, 404 or 415 went out as bare text and the
/// rate limiter's and <see cref="RequestText"/>'s refusals failed as an empty 500. An error is always this one shape;
/// registered before the framework's writer, this one takes every problem and has the framework's write it.
/// </summary>
internal sealed class ProblemsWhateverAccepted(IServiceProvider services) : IProblemDetailsWriter
{
    private IProblemDetailsWriter? _json;

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        _json ??= services.GetServices<IProblemDetailsWriter>().First(w => w is not ProblemsWhateverAccepted);
        return _json.WriteAsync(context);
    }
}
