using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Samskaping.Workspace.SignIn;

/// <summary>
/// An expired session signs the person in again and brings them back to the page they asked for. The provider still
/// knows them (its own session), so in the usual case this is two redirects and no question.
/// </summary>
internal static class SessionRenewal
{
    /// <summary>The session ends with its access token: pages could not call the API with it anyway.</summary>
    public static async Task RejectWhenTokenExpired(CookieValidatePrincipalContext context)
    {
        var expiresAt = context.Properties.GetTokenValue("expires_at");
        var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        if (expiresAt is null || !DateTimeOffset.TryParse(expiresAt, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.RoundtripKind, out var at) || at <= clock.GetUtcNow().AddSeconds(30))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    /// <summary>
    /// The API refused the token (expired early, keys rotated): sign in again and come back. A form's contents are
    /// lost, but not the page: a GET returns to itself with its query, a POST to the page that showed the form.
    /// </summary>
    public static IApplicationBuilder UseSessionRenewal(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (SessionExpiredException) when (!context.Response.HasStarted)
        {
            var back = context.Request.PathBase + context.Request.Path
                + (HttpMethods.IsGet(context.Request.Method) ? context.Request.QueryString : QueryString.Empty);
            context.Response.Clear();
            await context.ChallengeAsync(new AuthenticationProperties { RedirectUri = back });
        }
    });
}

/// <summary>The API answered 401: the session's token is no longer good.</summary>
public sealed class SessionExpiredException() : Exception("The API refused the session's access token.");
