using System.ComponentModel.DataAnnotations;
using Samskaping.Cases.PersonalData;
using Samskaping.Contracts.Cases;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Households;

/// <summary>POST /api/cases/{id}/members: a person of the case's household. The identity number travels only in
/// this body; it is never answered back in full.</summary>
public sealed record AddMember(
    [property: MaxLength(Member.MaxNameLength)] string? Name,
    DateOnly? BirthDate,
    [property: AllowedValues(MemberRoles.Guardian, MemberRoles.Parent, MemberRoles.Child, MemberRoles.Youth, MemberRoles.OtherAdult)] string? Role,
    [property: MaxLength(Samskaping.ServiceDefaults.IdentityNumber.MaxInputLength)] string? IdentityNumber,
    [property: MaxLength(Member.MaxGuardians)] IReadOnlyList<Guid>? Guardians);

/// <summary>A member as validated, before it is known whether the person exists already.</summary>
public sealed record NewMember(string Name, DateOnly BirthDate, string Role, IdentityNumber? IdentityNumber, IReadOnlyList<Guid> Guardians);

public static class Member
{
    public const int MaxNameLength = 200;
    public const int MaxGuardians = 4;

    public static (NewMember? Member, ValidationErrors Errors) Validate(AddMember request, DateOnly today)
    {
        var errors = new ValidationErrors();
        var name = errors.Text("name", request.Name, MaxNameLength);
        var role = request.Role?.Trim();
        if (role is null)
        {
            errors.Add("role", "Required.");
        }
        else if (!MemberRoles.All.Contains(role))
        {
            errors.Add("role", $"Must be one of: {string.Join(", ", MemberRoles.All)}.");
        }

        IdentityNumber? number = null;
        if (request.IdentityNumber is not null)
        {
            number = IdentityNumber.Parse(request.IdentityNumber, out var why);
            if (number is null)
            {
                errors.Add("identityNumber", why!);
            }
        }
        var birthDate = request.BirthDate ?? number?.BirthDate;
        if (birthDate is null && request.IdentityNumber is null)
        {
            errors.Add("birthDate", "Required when no identity number is given.");
        }
        else if (number is not null && request.BirthDate is { } given && given != number.BirthDate)
        {
            errors.Add("birthDate", "Does not match the birth date in the identity number.");
        }
        else if (birthDate > today)
        {
            errors.Add(request.BirthDate is null ? "identityNumber" : "birthDate", "The birth date is in the future.");
        }

        var guardians = request.Guardians ?? [];
        if (guardians.Count > MaxGuardians)
        {
            errors.Add("guardians", $"At most {MaxGuardians}.");
        }
        else if (guardians.Distinct().Count() != guardians.Count)
        {
            errors.Add("guardians", "Each guardian at most once.");
        }

        return errors.IsValid
            ? (new NewMember(name, birthDate!.Value, role!, number, [.. guardians]), errors)
            : (null, errors);
    }

    /// <summary>Age in whole years on <paramref name="today"/>.</summary>
    public static int Age(DateOnly birthDate, DateOnly today)
    {
        var age = today.Year - birthDate.Year;
        return birthDate.AddYears(age) > today ? age - 1 : age;
    }
}
