using Microsoft.AspNetCore.Authorization;
using Samskaping.ServiceDefaults;

namespace Samskaping.Gateway;

/// <summary>
/// The two route policies that only the gateway needs; routes in <c>appsettings.json</c> name them next to
/// <see cref="Policies.SectorStaff"/>. The services check the finer rules (sector participation, consent) again.
/// </summary>
internal static class GatewayPolicies
{
    /// <summary>Outcomes: sector staff record measurements; analysts read the aggregated, de-identified reports.</summary>
    public const string StaffOrAnalyst = "staff-or-analyst";

    /// <summary>Grants and benefits: sector staff handle money for families; admins run funds and the benefit feed.
    /// Also the sector registry, which admins keep.</summary>
    public const string StaffOrAdmin = "staff-or-admin";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(StaffOrAnalyst, p => Policies.Staff(p)
            .RequireAssertion(c => Policies.IsSectorStaff(c.User) || c.User.IsInRole(Roles.Analyst)));
        options.AddPolicy(StaffOrAdmin, p => Policies.Staff(p)
            .RequireAssertion(c => Policies.IsSectorStaff(c.User) || c.User.IsInRole(Roles.Admin)));
    }
}
