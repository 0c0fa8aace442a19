using Samskaping.Contracts;
using Samskaping.ServiceDefaults;

namespace Samskaping.IdentityProvider;

/// <summary>A person who may sign in to the development provider: no password, one click on the sign-in page.</summary>
public sealed class DemoPerson
{
    /// <summary>The stable subject (<c>sub</c>) the services know the person by.</summary>
    public string Subject { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>The work e-mail address, as the <c>email</c> claim carries it: how a family reaches the person as its lead coordinator.</summary>
    public string? Email { get; set; }

    /// <summary>Every role the person holds; a token carries them all as a multi-valued <c>role</c> claim.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>The sectors the person works in; a session is in one of them (see docs/operations.md).</summary>
    public List<string> Sectors { get; set; } = [];
}

/// <summary>Who a sign-in or a development token request may be.</summary>
public static class DemoPeople
{
    /// <summary>The subject prefix of the unnamed people of <c>./samskaping token</c>: one per sector and role.</summary>
    public const string RolePersonPrefix = "dev-";

    public static readonly IReadOnlyList<string> KnownRoles =
        [ServiceDefaults.Roles.Caseworker, ServiceDefaults.Roles.Coordinator, ServiceDefaults.Roles.GrantApprover,
         ServiceDefaults.Roles.Analyst, ServiceDefaults.Roles.Admin, ServiceDefaults.Roles.PrivacyOfficer];

    /// <summary>The sectors the services know, in the order the sign-in page shows them.</summary>
    public static readonly IReadOnlyList<string> KnownSectors = Sectors.All;

    public static IEnumerable<string> Problems(IReadOnlyList<DemoPerson> people)
    {
        foreach (var person in people)
        {
            if (string.IsNullOrWhiteSpace(person.Subject) || string.IsNullOrWhiteSpace(person.Name))
            {
                yield return "Every demo person needs a Subject and a Name.";
            }
            if (person.Roles.Count == 0 || person.Roles.Any(r => !KnownRoles.Contains(r)))
            {
                yield return $"Demo person '{person.Subject}' needs roles among: {string.Join(", ", KnownRoles)}.";
            }
            if (person.Email is { } email && (email.Length > 254 || email.Split('@') is not [{ Length: > 0 }, { Length: > 0 }]))
            {
                yield return $"Demo person '{person.Subject}' has an Email that is not one address.";
            }
            if (person.Sectors.Count == 0 || person.Sectors.Any(s => !Sectors.IsKnown(s)))
            {
                yield return $"Demo person '{person.Subject}' needs sectors among: {string.Join(", ", KnownSectors)}.";
            }
        }
        foreach (var twice in people.GroupBy(p => p.Subject, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return $"Demo person '{twice.Key}' is listed more than once.";
        }
    }
}

/// <summary>Who a token is about: one person, all or some of their roles, and the one sector they act in.</summary>
public sealed record SignedInPerson(string Subject, string Name, IReadOnlyList<string> Roles, string Sector, string? Email = null)
{
    /// <summary>A demo person acting in one of their sectors, with every role they hold (the sign-in page).</summary>
    public static SignedInPerson? InSector(IEnumerable<DemoPerson> people, string? subject, string? sector) =>
        people.FirstOrDefault(p => p.Subject == subject) is { } person && sector is not null && person.Sectors.Contains(sector)
            ? new SignedInPerson(person.Subject, person.Name, person.Roles, sector, person.Email)
            : null;

    /// <summary>
    /// The person a development token is for (<c>./samskaping token</c>): a demo person named by name or subject who holds
    /// the role in the sector, with that one role; or, unnamed, the person of that sector and role
    /// (<c>dev-&lt;sector&gt;-&lt;role&gt;</c>). Null with the reason when nobody on the list fits.
    /// </summary>
    public static (SignedInPerson? Person, string? Refusal) ForDevelopmentToken(
        IEnumerable<DemoPerson> people, string? name, string? subject, string? sector, string? role)
    {
        if (!Sectors.IsKnown(sector))
        {
            return (null, $"The sector must be one of: {string.Join(", ", DemoPeople.KnownSectors)}.");
        }
        if (role is null || !DemoPeople.KnownRoles.Contains(role))
        {
            return (null, $"The role must be one of: {string.Join(", ", DemoPeople.KnownRoles)}.");
        }
        if (string.IsNullOrEmpty(name) && string.IsNullOrEmpty(subject))
        {
            return (new SignedInPerson($"{DemoPeople.RolePersonPrefix}{sector}-{role}", $"Dev {role}, {sector}", [role], sector!), null);
        }
        var person = people.FirstOrDefault(p =>
            (string.IsNullOrEmpty(name) || p.Name == name) && (string.IsNullOrEmpty(subject) || p.Subject == subject));
        if (person is null)
        {
            return (null, $"No demo person is called '{name ?? subject}' (see the sign-in page or demo-people.json).");
        }
        if (!person.Sectors.Contains(sector!) || !person.Roles.Contains(role))
        {
            return (null, $"{person.Name} is {string.Join(" and ", person.Roles)} in {string.Join(" and ", person.Sectors)}, not {role} in {sector}.");
        }
        return (new SignedInPerson(person.Subject, person.Name, [role], sector!, person.Email), null);
    }
}
