using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Samskaping.Contracts;

namespace Samskaping.ServiceDefaults;

/// <summary>The authenticated worker, from the token's <c>sub</c>, <c>name</c>, <c>role</c> and <c>sector</c> claims.</summary>
public sealed record CurrentUser(string Subject, string Name, string Role, string Sector)
{
    public const string SectorClaim = "sector";

    public static CurrentUser From(ClaimsPrincipal principal) => new(
        principal.FindFirstValue("sub") ?? throw new InvalidOperationException("The token has no subject."),
        principal.FindFirstValue("name") ?? "",
        principal.FindFirstValue("role") ?? "",
        principal.FindFirstValue(SectorClaim) ?? "");

    /// <summary>Lets a minimal API handler take <c>CurrentUser user</c> as a parameter.</summary>
    public static ValueTask<CurrentUser?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult<CurrentUser?>(From(context.User));

    internal static bool HasKnownSector(ClaimsPrincipal principal) =>
        Sectors.IsKnown(principal.FindFirstValue(SectorClaim));
}
