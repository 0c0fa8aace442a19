using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Samskaping.ServiceDefaults;

namespace Samskaping.Access;

/// <summary>
/// A citizen's read of another service's data, asked by the cases service, which alone knows households and the
/// relation rule (docs/architecture.md §8): the case the citizen reaches, the household records through which they
/// reach it (their own, a child's under 15), and the citizen as reader. The service that holds the data answers about
/// this case and these records only, and writes its own access-log rows as the citizen's own read.
/// </summary>
/// <param name="Reader">The citizen's pseudonymous subject (the token's <c>sub</c>), never their identity number.</param>
/// <param name="OwnHousehold">True when the citizen is a member of the case's household themselves; false when they reach it only through a child.</param>
/// <param name="LetterId">For a letter's read: the letter asked for.</param>
/// <param name="Numbers">For the benefits service only: the identity numbers of the records that have one, which it needs to ask the
/// benefit system (as the cases service's internal members endpoint gives them); in the body, never in a URL.</param>
public sealed record CitizenReadQuery(
    Guid CaseId,
    [property: MaxLength(CitizenReadQuery.MaxRecords)] IReadOnlyList<Guid>? PersonIds,
    [property: MaxLength(CitizenReadQuery.MaxReaderLength)] string? Reader,
    bool OwnHousehold,
    Guid? LetterId = null,
    [property: MaxLength(CitizenReadQuery.MaxRecords)] IReadOnlyList<CitizenRecordNumber>? Numbers = null)
{
    public const int MaxRecords = 100;
    public const int MaxReaderLength = 200;

    /// <summary>The purpose of every access-log row of a citizen's own reads, in every service.</summary>
    public const string Purpose = "citizen's own view";

    /// <summary>Who the access log names: the citizen's pseudonym, the role citizen, no sector (as <see cref="CitizenToken.AsReader"/>).</summary>
    public CurrentUser AsReader() => new(Reader ?? "", "", Roles.Citizen, "");

    /// <summary>The access-log subjects of the read: the case as a whole and each record.</summary>
    public IEnumerable<AccessSubject> Subjects() =>
        [AccessSubject.Case(CaseId), .. (PersonIds ?? []).Distinct().Select(p => new AccessSubject(CaseId, p))];

    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors();
        if (CaseId == Guid.Empty)
        {
            errors.Add("caseId", "Required: the case the citizen reaches.");
        }
        if (PersonIds is null || PersonIds.Count == 0 || PersonIds.Contains(Guid.Empty))
        {
            errors.Add("personIds", "Required: the records through which the citizen reaches the case.");
        }
        else if (PersonIds.Count > MaxRecords)
        {
            errors.Add("personIds", $"At most {MaxRecords} records.");
        }
        if (string.IsNullOrWhiteSpace(Reader) || Reader.Length > MaxReaderLength)
        {
            errors.Add("reader", $"Required: the citizen's pseudonymous subject (1–{MaxReaderLength} characters).");
        }
        return errors;
    }
}

/// <summary>A record's identity number in clear, for the benefits service's look-up only.</summary>
public sealed record CitizenRecordNumber(Guid PersonId, [property: MaxLength(IdentityNumber.MaxInputLength)] string IdentityNumber);

/// <summary>Coordination's part of the family's plan (POST /internal/coordination/citizen/plan).</summary>
/// <param name="Lead">The current lead coordinator; null when the case has none (coordination has not heard of it yet).</param>
/// <param name="BtiLevel">The case's current BTI level (0–3), without the worker's reason; null when none is set.</param>
public sealed record CitizenPlanPart(
    CitizenLeadPart? Lead, IReadOnlyList<CitizenSectorPart> Sectors, IReadOnlyList<CitizenMeasurePart> Measures, int? BtiLevel, bool Closed);

/// <param name="Name">The display name the lead had when they took the lead; null when coordination was not told one.</param>
/// <param name="Email">The lead's work e-mail address from their token when they took the lead; null when it carried none,
/// and the family is then told to ask the worker they are in touch with, never shown a made-up address.</param>
public sealed record CitizenLeadPart(string? Name, string Sector, string SectorName, DateTimeOffset Since, string? Email = null);

/// <param name="Role">lead or contributor in the coordination group.</param>
public sealed record CitizenSectorPart(string Code, string Name, string Role, DateTimeOffset JoinedAt);

/// <param name="Overdue">The review date has passed without an evaluation.</param>
/// <param name="LastHelped">The newest evaluation's answer to "did it help?" (yes, no, partly), null before any.</param>
public sealed record CitizenMeasurePart(
    Guid Id, string Title, string ResponsibleSector, DateOnly StartsOn, DateOnly? EndsOn, DateOnly NextReviewOn, bool Overdue, bool Completed,
    string? LastHelped);

/// <summary>Grants' part of the family's plan (POST /internal/grants/citizen/grants): the household's grants, decisions and payments.</summary>
public sealed record CitizenGrantsPart(IReadOnlyList<CitizenGrantPart> Grants);

/// <param name="Purpose">What the money is for, as the request gave it.</param>
/// <param name="Status">requested, approved or declined.</param>
public sealed record CitizenGrantPart(
    Guid Id, string Purpose, decimal RequestedAmount, string Status, DateTimeOffset RequestedAt, string PayeeName,
    IReadOnlyList<CitizenDecisionPart> Decisions, IReadOnlyList<CitizenPaymentPart> Payments);

/// <param name="Outcome">As the letter states it: innvilget, delvis-innvilget, avslatt or avvist.</param>
/// <param name="InForce">No later letter replaces it.</param>
public sealed record CitizenDecisionPart(Guid LetterId, string Outcome, decimal Amount, DateTimeOffset IssuedAt, DateOnly AppealDeadline, bool InForce);

/// <param name="Status">planned, paid, stopped or cancelled.</param>
public sealed record CitizenPaymentPart(int Number, decimal Amount, DateOnly DueOn, string Status, DateOnly? PaidOn);

/// <summary>A decision letter for the family (POST /internal/grants/citizen/letter); <see cref="Pdf"/> null when the case has no such letter.</summary>
public sealed record CitizenLetterPart(byte[]? Pdf, string? Sha256);

/// <summary>Benefits' part (POST /internal/benefits/citizen/benefits): per record, what the benefit system reports.</summary>
/// <param name="FetchedAt">When the benefit system was asked; null when no record has an identity number to ask with.</param>
public sealed record CitizenBenefitsPart(DateTimeOffset? FetchedAt, IReadOnlyList<CitizenRecordBenefitsPart> Records);

/// <param name="Identified">False for a record without an identity number: the benefit system cannot be asked about it.</param>
public sealed record CitizenRecordBenefitsPart(Guid PersonId, bool Identified, IReadOnlyList<CitizenBenefitPart> Benefits);

public sealed record CitizenBenefitPart(string Type, decimal? MonthlyAmount, DateOnly? From, DateOnly? To);

public static class CitizenReadEndpoints
{
    /// <summary>
    /// The internal group <c>/internal/{service}/citizen</c> for the cases service's citizen reads: service tokens only,
    /// never routed by the gateway (it routes <c>/api/…</c> only).
    /// </summary>
    public static RouteGroupBuilder MapCitizenReads(this IEndpointRouteBuilder app, string service) =>
        app.MapApiGroup($"/internal/{service}/citizen", "Internal (service-to-service)", Policies.Service);
}
