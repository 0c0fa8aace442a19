namespace Samskaping.Workspace.Api;

// The action plan as the plan page shows it (coordination's GET /api/coordination/cases/{caseId}/plan): only the fields shown.

public sealed record PlanGoal(Guid Id, string Text);

public sealed record PlanEvaluation(
    Guid Id, string Helped, string? FamilyWords, string? Note, string EvaluatedBy, string EvaluatedSector, DateTimeOffset EvaluatedAt);

public sealed record PlanMeasure(
    Guid Id,
    Guid? GoalId,
    string Title,
    string ResponsibleSector,
    DateOnly StartsOn,
    DateOnly? EndsOn,
    DateOnly NextReviewOn,
    string AgreedBy,
    DateTimeOffset AgreedAt,
    string? CompletedBy,
    DateTimeOffset? CompletedAt,
    bool Overdue,
    IReadOnlyList<PlanEvaluation> Evaluations)
{
    public bool Completed => CompletedAt is not null;
}

public sealed record PlanBtiLevel(int Level, string Reason, string SetBy, string SetSector, DateTimeOffset SetAt);

public sealed record ActionPlan(
    Guid CaseId, IReadOnlyList<PlanGoal> Goals, IReadOnlyList<PlanMeasure> Measures, PlanBtiLevel? BtiLevel, IReadOnlyList<PlanBtiLevel> BtiHistory);
