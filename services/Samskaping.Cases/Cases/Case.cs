using System.ComponentModel.DataAnnotations;
using Samskaping.Contracts;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Cases;

/// <summary>Where a case is in its life: referred → intake → active → closing → closed (and reopened).</summary>
public enum CaseStatus { Referred, Intake, Active, Closing, Closed }

/// <summary>A need as the family itself put it (behov, med familiens egne ord), with who said it.</summary>
public sealed record Need(Guid Id, string Text, string? SaidBy, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>A family's case (sak).</summary>
public sealed record Case(
    Guid Id,
    string HouseholdName,
    CaseStatus Status,
    string OpenedBy,
    string OpenedBySector,
    DateTimeOffset OpenedAt,
    IReadOnlyList<Need> Needs)
{
    public const int MaxHouseholdNameLength = 200;
    public const int MaxNeedLength = 4000;
    public const int MaxSaidByLength = 200;
    public const int MaxReasonLength = 2000;

    /// <summary>The title of a 409: the case's lifecycle state does not allow the change.</summary>
    public const string StateDoesNotAllow = "The case is not in a state that allows this.";

    /// <summary>The title of a 422 for a value that names something the case or its household does not have.</summary>
    public const string DoesNotFit = "The request does not fit the case.";

    /// <summary>"self" for a self-referral; otherwise the referring sector's code.</summary>
    public const string SelfReferral = "self";

    public Guid HouseholdId { get; init; }

    /// <summary>True when the case is opened for a household already known (another case of the same family).</summary>
    public bool ExistingHousehold { get; init; }

    public string? ReferralSource { get; init; }

    public string? ReferralReason { get; init; }

    /// <summary>
    /// Opens a case from a referral. The need in the family's own words is the first thing recorded: a case
    /// without it cannot be opened. With <see cref="OpenCase.HouseholdId"/> the case is about a household already
    /// known (its name is then optional).
    /// </summary>
    public static (Case? Case, ValidationErrors Errors) Open(OpenCase request, CurrentUser user, TimeProvider clock)
    {
        var errors = new ValidationErrors();
        // For a household already known its own name is used; a new one needs a name.
        var name = request.HouseholdId is null
            ? errors.Text("householdName", request.HouseholdName, MaxHouseholdNameLength)
            : "";
        var need = errors.Required("need", request.Need);
        var text = need is null ? "" : errors.Text("need.text", need.Text, MaxNeedLength);
        var saidBy = need is null ? null : errors.OptionalText("need.saidBy", need.SaidBy, MaxSaidByLength);
        var source = request.Referral?.Source?.Trim();
        if (request.Referral is not null && source is not (SelfReferral or null) && !Sectors.IsKnown(source))
        {
            errors.Add("referral.source", $"Must be \"{SelfReferral}\" or one of the sector codes: {string.Join(", ", Sectors.All)}.");
        }
        var reason = request.Referral is null ? null : errors.OptionalText("referral.reason", request.Referral.Reason, MaxReasonLength);
        if (!errors.IsValid)
        {
            return (null, errors);
        }

        var now = clock.Now();
        var opened = new Case(
            Guid.CreateVersion7(now), name, CaseStatus.Referred, user.Subject, user.Sector, now,
            [new Need(Guid.CreateVersion7(now), text, saidBy, user.Subject, now)])
        {
            HouseholdId = request.HouseholdId ?? Guid.CreateVersion7(now),
            ExistingHousehold = request.HouseholdId is not null,
            ReferralSource = string.IsNullOrEmpty(source) ? null : source,
            ReferralReason = reason,
        };
        return (opened, errors);
    }

    public static string StatusName(CaseStatus status) => status.ToString().ToLowerInvariant();

    public static CaseStatus? ParseStatus(string? value) =>
        Enum.TryParse<CaseStatus>(value, ignoreCase: true, out var status) && StatusName(status) == value ? status : null;
}

/// <summary>POST /api/cases: the household and the need in their own words; optionally the referral, and an
/// existing household to open the case for.</summary>
public sealed record OpenCase([property: MaxLength(Case.MaxHouseholdNameLength)] string? HouseholdName, NeedInput? Need, Guid? HouseholdId = null, ReferralInput? Referral = null);

public sealed record NeedInput([property: MaxLength(Case.MaxNeedLength)] string? Text, [property: MaxLength(Case.MaxSaidByLength)] string? SaidBy);

/// <summary>Who referred the family (a sector code, or "self") and why.</summary>
public sealed record ReferralInput(
    [property: AllowedValues(Case.SelfReferral, Sectors.Oppvekst, Sectors.HelseVelferd, Sectors.Kultur, Sectors.Nav, Sectors.Frivillighet)] string? Source,
    [property: MaxLength(Case.MaxReasonLength)] string? Reason);
