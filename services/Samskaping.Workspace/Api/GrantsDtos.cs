namespace Samskaping.Workspace.Api;

// What the grant pages read from the grants service: only the fields they show (the service's OpenAPI document has the rest).

public sealed record GrantPayee(string Kind, string Name);

public sealed record GrantDisbursement(Guid Id, int Number, decimal Amount, DateOnly DueOn, string Status, DateOnly? PaidOn, string? Reason);

public sealed record GrantDetails(
    Guid Id,
    Guid CaseId,
    Guid FundId,
    decimal Amount,
    string Purpose,
    string? Category,
    GrantPayee Payee,
    string Status,
    string RequestedBy,
    string RequestedBySector,
    DateTimeOffset RequestedAt,
    string? DecidedBy,
    string? SecondApprover,
    DateTimeOffset? DecidedAt,
    string? DeclineReason,
    IReadOnlyList<GrantDisbursement> Disbursements);

public sealed record GrantCaseDetails(Guid CaseId, DateTimeOffset? ClosedAt, IReadOnlyList<GrantDetails> Grants);

public sealed record GrantBenefit(string Role, string Type, decimal? MonthlyAmount, DateOnly? From, DateOnly? To);

public sealed record GrantCurrentBenefits(bool Known, string Source, IReadOnlyList<GrantBenefit> Items);

public sealed record GrantDecisionView(
    string FundName,
    decimal FundAvailable,
    decimal ApprovalThreshold,
    bool NeedsSecondApprover,
    decimal HouseholdCap,
    decimal HouseholdRemaining,
    GrantCurrentBenefits CurrentBenefits);

public sealed record FundBalances(decimal Budget, decimal Available, decimal Reserved, decimal Paid, decimal Remaining);

public sealed record FundItem(
    Guid Id, string Name, string Owner, DateOnly PeriodStart, DateOnly PeriodEnd, decimal ApprovalThreshold, decimal HouseholdCap,
    FundBalances? Balances);
