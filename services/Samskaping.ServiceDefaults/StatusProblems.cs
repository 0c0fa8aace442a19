using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Samskaping.ServiceDefaults;

/// <summary>What an empty 404 from routing says; a process may tell callers more about its paths.</summary>
public sealed class StatusProblemOptions
{
    public string NotFoundTitle { get; set; } = "Nothing answers this path.";

    public string NotFoundDetail { get; set; } = "Check the path and the method against the API reference.";
}

/// <summary>
/// Titles that tell a caller what to do for the empty-bodied errors a process produces itself (401 from the token
/// check, 403 from a policy, 404 for a path nothing serves), written as problem details by <c>UseStatusCodePages</c>
/// in <see cref="Extensions.UseServiceDefaults"/>. Other statuses get the framework's default problem.
/// </summary>
internal static class StatusProblems
{
    public static void AddStatusProblems(this IServiceCollection services)
    {
        services.AddOptions<StatusProblemOptions>();
        services.Configure<StatusCodePagesOptions>(o => o.HandleAsync = WriteAsync);
    }

    private static async Task WriteAsync(StatusCodeContext status)
    {
        var context = status.HttpContext;
        var notFound = context.RequestServices.GetRequiredService<IOptions<StatusProblemOptions>>().Value;
        var problem = new ProblemDetails { Status = context.Response.StatusCode };
        (problem.Title, problem.Detail) = context.Response.StatusCode switch
        {
            StatusCodes.Status401Unauthorized => ("A valid bearer token is required.", await WhyUnauthenticated(context)),
            StatusCodes.Status403Forbidden => ("Your role does not give access to this part of the API.",
                "The token is valid, but its role or sector is not allowed here: a citizen's token reaches only the citizen endpoints, and a " +
                "worker's never reaches those. Analysts see aggregated outcomes only."),
            StatusCodes.Status404NotFound => (notFound.NotFoundTitle, notFound.NotFoundDetail),
            _ => (null, null),
        };

        await context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    // Says which kind of fault without echoing token contents; WWW-Authenticate carries the standard error code.
    // The handler caches its result per request, so asking again does not validate the token twice.
    private static async Task<string> WhyUnauthenticated(HttpContext context) =>
        (await context.AuthenticateAsync()).Failure switch
        {
            null => "Send 'Authorization: Bearer <token>'. Locally: ./samskaping token --sector oppvekst --role caseworker",
            SecurityTokenExpiredException => "The token has expired. Get a new one.",
            _ => "The token was not accepted: it must be signed by the trusted issuer, for this audience, currently valid, and name its subject.",
        };
}
