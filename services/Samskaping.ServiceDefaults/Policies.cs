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

    /// <summary>A staff role that works on cases, and a sector we know.</summary>
    public static bool IsSectorStaff(ClaimsPrincipal user) =>
        (user.IsInRole(Roles.Caseworker) || user.IsInRole(Roles.Coordinator) || user.IsInRole(Roles.GrantApprover))
        && CurrentUser.HasKnownSector(user);

    internal static void Add(AuthorizationOptions options)
    {
        // Closed by default: an endpoint that forgets to say who may call it still needs a valid token.
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();

        options.AddPolicy(CaseWorker, p => p.RequireAuthenticatedUser()
            .RequireRole(Roles.Caseworker, Roles.Coordinator)
            .RequireAssertion(c => CurrentUser.HasKnownSector(c.User)));
        options.AddPolicy(SectorStaff, p => p.RequireAuthenticatedUser().RequireAssertion(c => IsSectorStaff(c.User)));
        options.AddPolicy(GrantApprover, p => p.RequireAuthenticatedUser().RequireRole(Roles.GrantApprover));
        options.AddPolicy(Analyst, p => p.RequireAuthenticatedUser().RequireRole(Roles.Analyst));
        options.AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        options.AddPolicy(PrivacyOfficer, p => p.RequireAuthenticatedUser().RequireRole(Roles.PrivacyOfficer));
        options.AddPolicy(PrivacyOfficerOrAdmin, p => p.RequireAuthenticatedUser().RequireRole(Roles.PrivacyOfficer, Roles.Admin));
        options.AddPolicy(Service, p => p.RequireAuthenticatedUser().RequireRole(Roles.Service)
            .RequireAssertion(c => c.User.FindFirstValue("sub")?.StartsWith(ServiceTokens.SubjectPrefix, StringComparison.Ordinal) == true));
    }
}
