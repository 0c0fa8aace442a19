using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.Tokens;

namespace Samskaping.Gateway;

/// <summary>
/// Titles that tell a caller what to do for the empty-bodied errors the gateway itself produces (401 from the token
/// check, 403 from a route policy, 404 for a path no service owns). <c>UseStatusCodePages</c> in
/// <c>MapDefaultEndpoints</c> reads these options; other statuses keep the framework's default problem, and what a
/// service answers is left alone (<see cref="ProxyProblems"/> switches status code pages off for forwarded requests).
/// </summary>
internal static class StatusProblems
{
    public static void AddStatusProblems(this IServiceCollection services) =>
        services.Configure<StatusCodePagesOptions>(o => o.HandleAsync = WriteAsync);

    private static async Task WriteAsync(StatusCodeContext status)
    {
        var context = status.HttpContext;
        var problem = new ProblemDetails { Status = context.Response.StatusCode };
        (problem.Title, problem.Detail) = context.Response.StatusCode switch
        {
            StatusCodes.Status401Unauthorized => ("A valid bearer token is required.", await WhyUnauthenticated(context)),
            StatusCodes.Status403Forbidden => ("Your role does not give access to this part of the API.",
                "The token is valid, but its role or sector is not allowed here. Analysts see aggregated outcomes only."),
            // Only callers with a valid token get this far: for anyone else the fallback policy answers 401 on an
            // unknown path first, so the API cannot be mapped without signing in.
            StatusCodes.Status404NotFound => ("No service answers this path.",
                "Paths start with /api/cases, /api/coordination, /api/grants, /api/outcomes or /api/benefits. See /docs."),
            _ => (null, null),
        };

        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(problem.Title ?? $"Status {problem.Status}", context.RequestAborted);
        }
    }

    // Says which kind of fault without echoing token contents; WWW-Authenticate carries the standard error code.
    // The handler caches its result per request, so asking again does not validate the token twice.
    private static async Task<string> WhyUnauthenticated(HttpContext context) =>
        (await context.AuthenticateAsync()).Failure switch
        {
            null => "Send 'Authorization: Bearer <token>'. Locally: ./samskaping token --sector oppvekst --role caseworker",
            SecurityTokenExpiredException => "The token has expired. Get a new one.",
            _ => "The token was not accepted: it must be signed by the trusted issuer, for this audience, and currently valid.",
        };
}
