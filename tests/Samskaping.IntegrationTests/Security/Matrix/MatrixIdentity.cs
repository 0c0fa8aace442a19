using System.Security.Cryptography;
using Samskaping.IntegrationTests.Infrastructure;

namespace Samskaping.IntegrationTests.Security.Matrix;

/// <summary>
/// One caller of the matrix: a token (or none), and what the caller is to the scene's case — which the policy
/// table's relations are decided by.
/// </summary>
public sealed record MatrixIdentity(string Name, string? Token, bool ValidToken, string Role, string Sector, bool IsLead = false, bool IsReceiver = false,
    bool IsFamily = false)
{
    public static readonly string[] Sectors = ["oppvekst", "helse-velferd", "kultur", "nav", "frivillighet"];

    /// <summary>The sectors that take part in the scene's case under a valid consent.</summary>
    public static readonly string[] CoveredSectors = ["oppvekst", "helse-velferd"];

    /// <summary>Whether the case rule of docs/architecture.md §5 lets this caller see the scene's case.</summary>
    public bool SeesCase => ValidToken && (IsLead || CoveredSectors.Contains(Sector));

    public override string ToString() => Name;

    /// <summary>Every role × sector, the lead and the receiver personally, and the tokens the gateway must refuse.</summary>
    public static IReadOnlyList<MatrixIdentity> All(MatrixScene scene)
    {
        var all = new List<MatrixIdentity>();
        foreach (var sector in Sectors)
        {
            foreach (var role in PolicyTable.StaffRoles)
            {
                all.Add(new($"{role}@{sector}", Tokens.For(sector, role, $"matrix-{sector}-{role}"), true, role, sector));
            }
        }
        all.Add(new("the lead coordinator (nav, consent expired)", Tokens.For("nav", "coordinator", scene.LeadSubject), true, "coordinator", "nav", IsLead: true));
        all.Add(new("the handover's receiver (helse-velferd)", Tokens.For("helse-velferd", "coordinator", scene.ReceiverSubject), true, "coordinator", "helse-velferd", IsReceiver: true));
        all.Add(new("the mother, as a citizen", Tokens.Citizen(scene.MotherNumber), true, "citizen", "", IsFamily: true));
        all.Add(new("a citizen of another household", Tokens.Citizen(Cases.IdentityNumbers.Adult()), true, "citizen", ""));
        all.Add(new("anonymous", null, false, "caseworker", "oppvekst"));
        all.Add(new("expired token", Tokens.For("oppvekst", "caseworker", expires: DateTime.UtcNow.AddMinutes(-10)), false, "caseworker", "oppvekst"));
        all.Add(new("wrong audience", Tokens.For("oppvekst", "caseworker", audience: "another-api"), false, "caseworker", "oppvekst"));
        all.Add(new("wrong issuer", Tokens.For("oppvekst", "caseworker", issuer: "https://not-our-idp.example"), false, "caseworker", "oppvekst"));
        all.Add(new("wrong signature", Tokens.For("oppvekst", "caseworker", signingKey: Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))), false, "caseworker", "oppvekst"));
        return all;
    }
}

/// <summary>What the policy table says one identity gets from one operation: allowed, or the denial code.</summary>
public static class Expectation
{
    public const int Allowed = 0;

    public static int For(PolicyRow row, MatrixIdentity identity, string pathSector)
    {
        if (!identity.ValidToken)
        {
            return 401;
        }
        if (row.Relation == "internal")
        {
            return 404;
        }
        if (row.Roles.Contains("benefit-system"))
        {
            return 401;
        }
        if (!row.Roles.Contains(identity.Role))
        {
            return 403;
        }
        if (row.Relation == "citizen")
        {
            // A citizen's own list or history is theirs whoever they are; a case in the path must be one the rule gives them.
            return !row.Key.Contains('{', StringComparison.Ordinal) || identity.IsFamily ? Allowed : 404;
        }
        if (row.Relation == "-")
        {
            return Allowed;
        }
        if (row.Relation == "waiting")
        {
            // The scene leaves no message in an error queue and no outbox row parked: there is nothing to act on.
            return 404;
        }
        if (row.Relation == "fund-owner")
        {
            return identity.Role == "admin" || identity.Sector == MatrixScene.FundOwner ? Allowed : 403;
        }
        if (!identity.SeesCase)
        {
            return 404;
        }
        return row.Relation switch
        {
            "case" => Allowed,
            "lead" => identity.IsLead ? Allowed : 403,
            "receiver" => identity.IsReceiver ? Allowed : 403,
            "sector-or-lead" => identity.IsLead || identity.Sector == pathSector ? Allowed : 403,
            _ => throw new InvalidOperationException($"Unknown relation {row.Relation}."),
        };
    }

    /// <summary>An answer as the matrix counts it: a business answer (2xx, 409, 422) means access was granted.</summary>
    public static int Classify(int status) => status is >= 200 and < 300 or 409 or 422 ? Allowed : status;

    public static string Describe(int outcome) => outcome == Allowed ? "allowed" : outcome.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
