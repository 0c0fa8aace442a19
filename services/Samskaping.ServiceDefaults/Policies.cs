using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Samskaping.ServiceDefaults;

/// <summary>The roles of docs/architecture.md §1, as they appear in the token's <c>role</c> claim.</summary>
public static class Roles
{
    public const string Caseworker = "caseworker";
    public const string Coordinator = "coordinator";
    public const string GrantApprover = "grant-approver";
    public const string Analyst = "analyst";
    public const string Admin = "admin";

    /// <summary>
    /// The municipality's privacy officer (personvernombud): reviews who accessed a person's data, across all
    /// services, and answers a person's request to see it. Sees no case content.
    /// </summary>
    public const string PrivacyOfficer = "privacy-officer";

    /// <summary>Another Samskaping service calling an internal, service-to-service endpoint (never a person).</summary>
    public const string Service = "service";

    /// <summary>
    /// A citizen reading their own data (<see cref="CitizenToken"/>). Never in a token's <c>role</c> claim (a citizen's
    /// token has none): it is what the access log records as the role of a citizen's own reads.
    /// </summary>
    public const string Citizen = "citizen";
}

/// <summary>Named authorization policies, declared once and used on route groups.</summary>
public static class Policies
{
    /// <summary>Works with families' cases: caseworkers and coordinators of a known sector.</summary>
    public const string CaseWorker = "case-worker";

    /// <summary>Any sector staff member who may read a case they participate in (includes grant approvers).</summary>
    public const string SectorStaff = "sector-staff";

    public const string GrantApprover = "grant-approver";
    public const string Analyst = "analyst";
    public const string Admin = "admin";
    public const string PrivacyOfficer = "privacy-officer";

    /// <summary>The state of the identity-number keys: the operator rotates them, the privacy officer answers for how
    /// the numbers are protected. Counts only, never a person.</summary>
    public const string PrivacyOfficerOrAdmin = "privacy-officer-or-admin";

    /// <summary>Another Samskaping service, on the internal endpoints the gateway never routes (<c>/internal/…</c>).</summary>
    public const string Service = "service";

    /// <summary>A citizen signed in as with ID-porten, on their own data only (<see cref="CitizenToken"/>); never staff.</summary>
    public const string Citizen = "citizen";

    /// <summary>A staff role that works on cases, and a sector we know.</summary>
    public static bool IsSectorStaff(ClaimsPrincipal user) =>
        (user.IsInRole(Roles.Caseworker) || user.IsInRole(Roles.Coordinator) || user.IsInRole(Roles.GrantApprover))
        && CurrentUser.HasKnownSector(user);

    internal static void Add(AuthorizationOptions options)
    {
        // Closed by default: an endpoint that forgets to say who may call it still needs a valid token, and a worker's.
        options.FallbackPolicy = Staff().Build();
        options.DefaultPolicy = Staff().Build();

        options.AddPolicy(CaseWorker, p => Staff(p)
            .RequireRole(Roles.Caseworker, Roles.Coordinator)
            .RequireAssertion(c => CurrentUser.HasKnownSector(c.User)));
        options.AddPolicy(SectorStaff, p => Staff(p).RequireAssertion(c => IsSectorStaff(c.User)));
        options.AddPolicy(GrantApprover, p => Staff(p).RequireRole(Roles.GrantApprover));
        options.AddPolicy(Analyst, p => Staff(p).RequireRole(Roles.Analyst));
        options.AddPolicy(Admin, p => Staff(p).RequireRole(Roles.Admin));
        options.AddPolicy(PrivacyOfficer, p => Staff(p).RequireRole(Roles.PrivacyOfficer));
        options.AddPolicy(PrivacyOfficerOrAdmin, p => Staff(p).RequireRole(Roles.PrivacyOfficer, Roles.Admin));
        options.AddPolicy(Service, p => Staff(p).RequireRole(Roles.Service)
            .RequireAssertion(c => c.User.FindFirstValue("sub")?.StartsWith(ServiceTokens.SubjectPrefix, StringComparison.Ordinal) == true));
        options.AddPolicy(Citizen, p => p.RequireAuthenticatedUser().RequireAssertion(c => CitizenToken.From(c.User) is not null));
    }

    /// <summary>
    /// Signed in, and not as a citizen: a token naming a person by <c>pid</c> is never staff, whatever roles it carries
    /// (docs/architecture.md §8), so no staff policy — nor "any signed-in user" — lets one in.
    /// </summary>
    public static AuthorizationPolicyBuilder Staff(AuthorizationPolicyBuilder? policy = null) =>
        (policy ?? new AuthorizationPolicyBuilder()).RequireAuthenticatedUser().RequireAssertion(c => !CitizenToken.IsCitizen(c.User));
}
