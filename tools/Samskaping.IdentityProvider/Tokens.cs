using System.Security.Claims;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Samskaping.ServiceDefaults;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Samskaping.IdentityProvider;

/// <summary>What the provider's tokens say about a person or a service: the claims the services read.</summary>
public static class Tokens
{
    /// <summary>
    /// The development grant of <c>./samskaping token</c> (an extension grant, RFC 6749 §4.5): parameters <c>sector</c>,
    /// <c>role</c>, and <c>name</c> or <c>subject</c> of a demo person; <c>minutes</c> for the lifetime.
    /// </summary>
    public const string DevelopmentGrant = "urn:samskaping:params:oauth:grant-type:demo-person";

    public static ClaimsPrincipal For(SignedInPerson person, string audience, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, person.Subject)
            .SetClaim(Claims.Name, person.Name)
            .SetClaims(Claims.Role, [.. person.Roles])
            .SetClaim(CurrentUser.SectorClaim, person.Sector)
            .SetClaim(CurrentUser.EmailClaim, person.Email);
        return Finish(identity, audience, scopes);
    }

    /// <summary>
    /// A citizen, as ID-porten describes one: a pseudonymous <c>sub</c>, the identity number in <c>pid</c> and the
    /// security level in <c>acr</c>; no name, role or sector (docs/architecture.md §8).
    /// </summary>
    public static ClaimsPrincipal ForCitizen(CitizenSignIn.Citizen citizen, string audience, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, citizen.Subject)
            .SetClaim(CitizenToken.PidClaim, citizen.Pid)
            .SetClaim(CitizenToken.AcrClaim, citizen.Level);
        return Finish(identity, audience, scopes);
    }

    /// <summary>A Samskaping service, as the internal endpoints' <c>service</c> policy expects it.</summary>
    public static ClaimsPrincipal ForService(string service, string audience)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, ServiceTokens.SubjectPrefix + service)
            .SetClaim(Claims.Name, service)
            .SetClaim(Claims.Role, Roles.Service);
        return Finish(identity, audience, []);
    }

    private static ClaimsPrincipal Finish(ClaimsIdentity identity, string audience, IEnumerable<string> scopes)
    {
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(scopes).SetResources(audience);
        // Who the person is goes into the access token (the services read it) and the identity token (the web
        // application shows it); nothing else is in either.
        principal.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return principal;
    }
}
