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

    /// <summary>
    /// Opens a case from a referral. The need in the family's own words is the first thing recorded: a case
    /// without it cannot be opened.
    /// </summary>
    public static (Case? Case, ValidationErrors Errors) Open(OpenCase request, CurrentUser user, TimeProvider clock)
    {
        var errors = new ValidationErrors();
        var name = errors.Text("householdName", request.HouseholdName, MaxHouseholdNameLength);
        var need = errors.Required("need", request.Need);
        var text = need is null ? "" : errors.Text("need.text", need.Text, MaxNeedLength);
        var saidBy = need is null ? null : errors.OptionalText("need.saidBy", need.SaidBy, MaxSaidByLength);
        if (!errors.IsValid)
        {
            return (null, errors);
        }

        var now = clock.Now();
        var opened = new Case(
            Guid.CreateVersion7(now), name, CaseStatus.Referred, user.Subject, user.Sector, now,
            [new Need(Guid.CreateVersion7(now), text, saidBy, user.Subject, now)]);
        return (opened, errors);
    }
}

/// <summary>POST /api/cases: the household and the need in their own words.</summary>
public sealed record OpenCase(string? HouseholdName, NeedInput? Need);

public sealed record NeedInput(string? Text, string? SaidBy);
