using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Samskaping.Contracts;

namespace Samskaping.ServiceDefaults;

/// <summary>
/// The authenticated worker, from the token's <c>sub</c>, <c>name</c>, <c>role</c>, <c>sector</c> and <c>email</c> claims. A person may hold
/// several roles (a multi-valued <c>role</c> claim): <see cref="Role"/> names them all, space-separated as OAuth writes
/// scopes, so the access log records every role the person acted with; ask <see cref="HasRole"/>, never compare it.
/// </summary>
public sealed record CurrentUser(string Subject, string Name, string Role, string Sector)
{
    public const string SectorClaim = "sector";

    public static CurrentUser From(ClaimsPrincipal principal) => new(
        principal.FindFirstValue("sub") ?? throw new InvalidOperationException("The token has no subject."),
        principal.FindFirstValue("name") ?? "",
        string.Join(' ', principal.FindAll("role").Select(c => c.Value)),
        principal.FindFirstValue(SectorClaim) ?? "")
    {
        Email = principal.FindFirstValue(EmailClaim) ?? "",
    };

    public const string EmailClaim = "email";

    /// <summary>The worker's work e-mail address when the token carries one: how a family reaches its lead coordinator.</summary>
    public string Email { get; init; } = "";

    /// <summary>Lets a minimal API handler take <c>CurrentUser user</c> as a parameter.</summary>
    public static ValueTask<CurrentUser?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult<CurrentUser?>(From(context.User));

    /// <summary>When this caller is a service reading for a worker: who and for which case (its access-log rows say so).</summary>
    public OnBehalfOf? ActingFor { get; init; }

    public bool HasRole(string role) => Role.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(role, StringComparer.Ordinal);

    internal static bool HasKnownSector(ClaimsPrincipal principal) =>
        Sectors.IsKnown(principal.FindFirstValue(SectorClaim));
}
