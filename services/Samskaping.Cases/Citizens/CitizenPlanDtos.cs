using Samskaping.Access;

namespace Samskaping.Cases.Citizens;

/// <summary>GET /api/cases/citizen/cases/{caseId}/grants.</summary>
/// <param name="HouseholdOnly">The citizen reaches the case through a child alone: a grant is the household's money, so none is shown.</param>
public sealed record CitizenGrantsDto(bool HouseholdOnly, IReadOnlyList<CitizenGrantPart> Grants);

/// <summary>GET /api/cases/citizen/cases/{caseId}/benefits: per record the citizen reaches the case through.</summary>
/// <param name="FetchedAt">When the benefit system was asked; null when no record has an identity number to ask with.</param>
public sealed record CitizenBenefitsDto(DateTimeOffset? FetchedAt, IReadOnlyList<CitizenRecordBenefitsDto> Records);

/// <param name="Relation">self or child.</param>
public sealed record CitizenRecordBenefitsDto(string FirstName, string Relation, bool Identified, IReadOnlyList<CitizenBenefitPart> Benefits);
