using System.ComponentModel.DataAnnotations;
using Samskaping.Cases.Households;
using Samskaping.Contracts;
using Samskaping.Contracts.Cases;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Consents;

/// <summary>POST /api/cases/{id}/consents: a person's consent for the case, scoped to sectors × purposes × data
/// categories, valid from (default now) to (default until withdrawn).</summary>
public sealed record GiveConsent(
    Guid? PersonId,
    Guid? GivenByPersonId,
    [property: MaxLength(ConsentRules.MaxCodes), AllowedValues(Contracts.Sectors.Oppvekst, Contracts.Sectors.HelseVelferd, Contracts.Sectors.Kultur, Contracts.Sectors.Nav, Contracts.Sectors.Frivillighet)]
    IReadOnlyList<string>? Sectors,
    [property: MaxLength(ConsentRules.MaxCodes), AllowedValues(ConsentPurposes.Coordination, ConsentPurposes.Grants, ConsentPurposes.OutcomeMeasurement, ConsentPurposes.BenefitCoordination)]
    IReadOnlyList<string>? Purposes,
    [property: MaxLength(ConsentRules.MaxCodes), AllowedValues(Contracts.Cases.DataCategories.Contact, Contracts.Cases.DataCategories.Needs, Contracts.Cases.DataCategories.Health, Contracts.Cases.DataCategories.School, Contracts.Cases.DataCategories.Economy, Contracts.Cases.DataCategories.Family)]
    IReadOnlyList<string>? DataCategories,
    DateTimeOffset? ValidFrom,
    DateTimeOffset? ValidTo);

/// <summary>POST /api/cases/{id}/consents/{consentId}/withdrawal.</summary>
public sealed record WithdrawConsent([property: MaxLength(ConsentRules.MaxReasonLength)] string? Reason);

public sealed record ConsentScope(
    Guid PersonId,
    Guid GivenByPersonId,
    IReadOnlyList<string> Sectors,
    IReadOnlyList<string> Purposes,
    IReadOnlyList<string> DataCategories,
    DateTimeOffset ValidFrom,
    DateTimeOffset? ValidTo);

/// <summary>The rules of samtykke: who may give it, and what it must say.</summary>
public static class ConsentRules
{
    /// <summary>From this age a young person consents for themselves (helse- og omsorgsrettslig samtykkealder).</summary>
    public const int AgeOfConsent = 15;

    public const int MaxReasonLength = 2000;

    /// <summary>At most this many codes in each of sectors, purposes and data categories (the document's maxItems).</summary>
    public const int MaxCodes = 20;

    private static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);

    public static (ConsentScope? Scope, ValidationErrors Errors) Validate(GiveConsent request, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        if (request.PersonId is null)
        {
            errors.Add("personId", "Required: whose data the consent is about.");
        }
        if (request.GivenByPersonId is null)
        {
            errors.Add("givenByPersonId", "Required: the person themselves, or a guardian for a child under 15.");
        }
        var sectors = Codes(errors, "sectors", request.Sectors, Sectors.All);
        var purposes = Codes(errors, "purposes", request.Purposes, ConsentPurposes.All);
        var categories = Codes(errors, "dataCategories", request.DataCategories, DataCategories.All);
        var validFrom = request.ValidFrom?.ToUniversalTime() ?? now;
        // A consent speaks from when it was given: it cannot cover what was shared before. A few minutes of clock
        // difference with the caller's device count as "now".
        if (validFrom < now - ClockTolerance)
        {
            errors.Add("validFrom", "A consent cannot start before it is recorded.");
        }
        else if (validFrom < now)
        {
            validFrom = now;
        }
        if (request.ValidTo is { } validTo && validTo <= validFrom)
        {
            errors.Add("validTo", "Must be after validFrom.");
        }
        return errors.IsValid
            ? (new ConsentScope(request.PersonId!.Value, request.GivenByPersonId!.Value, sectors, purposes, categories,
                TruncateToMicroseconds(validFrom), request.ValidTo is { } to ? TruncateToMicroseconds(to.ToUniversalTime()) : null), errors)
            : (null, errors);
    }

    /// <summary>
    /// Who may consent for <paramref name="personBirthDate"/>'s data: the person themselves from 15, otherwise a
    /// guardian of the child in the household. Null when allowed; otherwise what is wrong.
    /// </summary>
    public static string? WhoMayGive(Guid personId, DateOnly personBirthDate, Guid givenBy, bool givenByIsGuardian, DateOnly today)
    {
        if (Member.Age(personBirthDate, today) >= AgeOfConsent)
        {
            return givenBy == personId ? null : $"A person of {AgeOfConsent} or older consents for themselves.";
        }
        return givenByIsGuardian ? null : $"For a child under {AgeOfConsent} a guardian of the child in the household gives the consent.";
    }

    private static string[] Codes(ValidationErrors errors, string field, IReadOnlyList<string>? values, IReadOnlyList<string> known)
    {
        if (values is null || values.Count == 0)
        {
            errors.Add(field, $"At least one of: {string.Join(", ", known)}.");
            return [];
        }
        if (values.Count > MaxCodes)
        {
            errors.Add(field, $"At most {MaxCodes} codes.");
            return [];
        }
        var unknown = values.Where(v => !known.Contains(v)).ToList();
        if (unknown.Count > 0)
        {
            errors.Add(field, $"Unknown: {string.Join(", ", unknown.Select(u => u.Length > 40 ? u[..40] + "…" : u))}. Must be among: {string.Join(", ", known)}.");
        }
        return [.. values.Distinct().Order(StringComparer.Ordinal)];
    }

    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) => value.AddTicks(-(value.Ticks % 10));
}
