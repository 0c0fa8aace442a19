using System.ComponentModel.DataAnnotations;
using Samskaping.Cases.Cases;
using Samskaping.Cases.Goals;
using Samskaping.Cases.Households;
using Samskaping.Contracts.Cases;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Corrections;

/// <summary>POST /api/cases/{id}/household/corrections: the household's name as it should be, and why.</summary>
public sealed record CorrectHousehold(
    [property: MaxLength(Member.MaxNameLength)] string? Name,
    [property: MaxLength(Correction.MaxReasonLength)] string? Reason);

/// <summary>POST …/needs/{needId}/corrections, …/resources/{resourceId}/corrections, …/goals/{goalId}/corrections.</summary>
public sealed record CorrectText(
    [property: MaxLength(Case.MaxNeedLength)] string? Text,
    [property: MaxLength(Correction.MaxReasonLength)] string? Reason);

/// <summary>POST /api/cases/{id}/members/{personId}/corrections: only the fields given are corrected. guardians is the
/// member's whole list of guardians as it should be. The identity number travels only in this body.</summary>
public sealed record CorrectMember(
    [property: MaxLength(Member.MaxNameLength)] string? Name,
    DateOnly? BirthDate,
    [property: AllowedValues(MemberRoles.Guardian, MemberRoles.Parent, MemberRoles.Child, MemberRoles.Youth, MemberRoles.OtherAdult)] string? Role,
    [property: MaxLength(Member.MaxGuardians)] IReadOnlyList<Guid>? Guardians,
    [property: MaxLength(IdentityNumber.MaxInputLength)] string? IdentityNumber,
    [property: MaxLength(Correction.MaxReasonLength)] string? Reason);

/// <summary>A member correction as validated; null fields stay as they are.</summary>
public sealed record MemberCorrection(string? Name, DateOnly? BirthDate, string? Role, IReadOnlyList<Guid>? Guardians, IdentityNumber? IdentityNumber, string Reason);

/// <summary>One correction as the privacy officer and the person's export see it. An identity number is never shown:
/// previousValue and newValue are null for <c>member-identity-number</c> (the previous number is kept encrypted).</summary>
public sealed record CorrectionDto(
    Guid Id,
    Guid CaseId,
    Guid HouseholdId,
    Guid? PersonId,
    Guid SubjectId,
    string Field,
    string? PreviousValue,
    string? NewValue,
    string Reason,
    string CorrectedBy,
    string CorrectedBySector,
    DateTimeOffset CorrectedAt);

public sealed record CorrectionsDto(IReadOnlyList<CorrectionDto> Corrections);

/// <summary>retting: the rules every correction shares.</summary>
public static class Correction
{
    public const int MaxReasonLength = 2000;
    public const string NotCorrected = "The correction could not be made.";

    public static string Reason(string? reason, ValidationErrors errors) => errors.Text("reason", reason, MaxReasonLength);

    public static (string Text, string Reason) ValidateText(CorrectText request, int maxLength, ValidationErrors errors) =>
        (errors.Text("text", request.Text, maxLength), Reason(request.Reason, errors));

    public static int MaxTextLength(string field) => field == CorrectedFields.GoalText ? Goal.MaxTextLength : Case.MaxNeedLength;

    public static MemberCorrection? ValidateMember(CorrectMember request, DateOnly today, ValidationErrors errors)
    {
        var name = errors.OptionalText("name", request.Name, Member.MaxNameLength);
        var role = request.Role?.Trim();
        if (role is not null && !MemberRoles.All.Contains(role))
        {
            errors.Add("role", $"Must be one of: {string.Join(", ", MemberRoles.All)}.");
        }
        if (request.BirthDate > today)
        {
            errors.Add("birthDate", "The birth date is in the future.");
        }
        IdentityNumber? number = null;
        if (request.IdentityNumber is not null && (number = ServiceDefaults.IdentityNumber.Parse(request.IdentityNumber, out var why)) is null)
        {
            errors.Add("identityNumber", why!);
        }
        else if (number is not null && request.BirthDate is { } given && given != number.BirthDate)
        {
            errors.Add("birthDate", "Does not match the birth date in the identity number.");
        }
        else if (number?.BirthDate > today)
        {
            errors.Add("identityNumber", "The birth date is in the future.");
        }
        if (request.Guardians is { Count: > Member.MaxGuardians })
        {
            errors.Add("guardians", $"At most {Member.MaxGuardians}.");
        }
        else if (request.Guardians is { } guardians && guardians.Distinct().Count() != guardians.Count)
        {
            errors.Add("guardians", "Each guardian at most once.");
        }
        if (name is null && request.BirthDate is null && role is null && request.Guardians is null && request.IdentityNumber is null)
        {
            errors.Add("name", "Give at least one of name, birthDate, role, guardians or identityNumber: the values as they should be.");
        }
        var reason = Reason(request.Reason, errors);
        return errors.IsValid ? new MemberCorrection(name, request.BirthDate, role, request.Guardians, number, reason) : null;
    }
}
