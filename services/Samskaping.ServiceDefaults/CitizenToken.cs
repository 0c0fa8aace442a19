using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Samskaping.ServiceDefaults;

/// <summary>
/// A citizen signed in as with ID-porten (docs/architecture.md §8): the national identity number in <c>pid</c>, the
/// security level in <c>acr</c>, a pseudonymous <c>sub</c>, and no role or sector. Built only for a token the
/// <see cref="Policies.Citizen"/> policy admitted.
/// </summary>
public sealed record CitizenToken(string Subject, IdentityNumber Number, string Level)
{
    public const string PidClaim = "pid";
    public const string AcrClaim = "acr";

    /// <summary>ID-porten's security level "betydelig" (substantial).</summary>
    public const string Substantial = "idporten-loa-substantial";

    /// <summary>ID-porten's security level "høyt" (high).</summary>
    public const string High = "idporten-loa-high";

    public static IReadOnlyList<string> Levels { get; } = [Substantial, High];

    /// <summary>Any token that names a person by <c>pid</c> is a citizen's, whatever else it says: never staff.</summary>
    public static bool IsCitizen(ClaimsPrincipal principal) => principal.HasClaim(c => c.Type == PidClaim);

    /// <summary>The citizen, when the token is a whole citizen token: a valid number, an allowed level, no role, no sector.</summary>
    public static CitizenToken? From(ClaimsPrincipal principal)
    {
        if (principal.FindFirstValue("sub") is not { Length: > 0 } subject
            || principal.FindAll(PidClaim).ToList() is not [var pid]
            || IdentityNumber.Parse(pid.Value, out _) is not { } number
            || principal.FindFirstValue(AcrClaim) is not { } level
            || !Levels.Contains(level)
            || principal.HasClaim(c => c.Type is "role" or CurrentUser.SectorClaim))
        {
            return null;
        }
        return new CitizenToken(subject, number, level);
    }

    /// <summary>Lets a minimal API handler take <c>CitizenToken citizen</c> on a route that requires the citizen policy.</summary>
    public static ValueTask<CitizenToken?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult<CitizenToken?>(From(context.User) ?? throw new InvalidOperationException("The route takes citizens: require Policies.Citizen."));

    /// <summary>
    /// Who the access log names for the citizen's own reads: their pseudonym, the role <see cref="Roles.Citizen"/>
    /// (which no token's role claim carries) and no sector. The number is never part of it.
    /// </summary>
    public CurrentUser AsReader() => new(Subject, "", Roles.Citizen, "");

    public override string ToString() => $"citizen {Subject}";
}
