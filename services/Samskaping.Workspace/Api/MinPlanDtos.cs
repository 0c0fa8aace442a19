namespace Samskaping.Workspace.Api;

/// <summary>GET /api/cases/citizen/cases/{caseId}/plan: coordination's part of the family's plan.</summary>
public sealed record CitizenPlan(CitizenLead? Lead, IReadOnlyList<CitizenPlanSector> Sectors, IReadOnlyList<CitizenMeasure> Measures, int? BtiLevel, bool Closed);

public sealed record CitizenLead(string? Name, string Sector, string SectorName, DateTimeOffset Since, string? Email);

public sealed record CitizenPlanSector(string Code, string Name, string Role, DateTimeOffset JoinedAt);

public sealed record CitizenMeasure(
    Guid Id, string Title, string ResponsibleSector, DateOnly StartsOn, DateOnly? EndsOn, DateOnly NextReviewOn, bool Overdue, bool Completed, string? LastHelped);

/// <summary>GET /api/cases/citizen/cases/{caseId}/grants: the household's grants, decisions and payments.</summary>
public sealed record CitizenGrants(bool HouseholdOnly, IReadOnlyList<CitizenGrant> Grants);

public sealed record CitizenGrant(
    Guid Id, string Purpose, decimal RequestedAmount, string Status, DateTimeOffset RequestedAt, string PayeeName,
    IReadOnlyList<CitizenDecision> Decisions, IReadOnlyList<CitizenPayment> Payments);

public sealed record CitizenDecision(Guid LetterId, string Outcome, decimal Amount, DateTimeOffset IssuedAt, DateOnly AppealDeadline, bool InForce);

public sealed record CitizenPayment(int Number, decimal Amount, DateOnly DueOn, string Status, DateOnly? PaidOn);

/// <summary>GET /api/cases/citizen/cases/{caseId}/benefits: what the benefit system reports for the citizen and their children.</summary>
public sealed record CitizenBenefits(DateTimeOffset? FetchedAt, IReadOnlyList<CitizenRecordBenefits> Records);

public sealed record CitizenRecordBenefits(string FirstName, string Relation, bool Identified, IReadOnlyList<CitizenBenefit> Benefits);

public sealed record CitizenBenefit(string Type, decimal? MonthlyAmount, DateOnly? From, DateOnly? To);
