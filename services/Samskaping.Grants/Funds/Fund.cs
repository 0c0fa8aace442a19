using System.ComponentModel.DataAnnotations;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Funds;

/// <summary>A fund (pott): a budget pot of a sector or programme for a period, and the rules its grants follow.</summary>
/// <param name="ApprovalThreshold">Up to this amount a caseworker of a participating sector decides alone; above it
/// a grant-approver who is not the requester must approve (four eyes).</param>
/// <param name="HouseholdCap">The most one household may be granted from the fund in its period.</param>
/// <param name="LowBalanceThreshold">FundLow is announced when the available amount drops below this.</param>
public sealed record Fund(
    Guid Id,
    string Name,
    string Owner,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    decimal ApprovalThreshold,
    decimal HouseholdCap,
    decimal LowBalanceThreshold,
    bool ReportToBenefitSystem)
{
    /// <summary>Four eyes above the threshold: the pilot's trust model lets one caseworker decide small amounts alone.</summary>
    public bool NeedsSecondApprover(decimal amount) => amount > ApprovalThreshold;

    /// <summary>Grants are requested and decided within the fund's period (end exclusive).</summary>
    public bool IsOpenOn(DateOnly day) => day >= PeriodStart && day < PeriodEnd;
}

/// <summary>The balances of a fund, from its ledger accounts. Budget = all money put in (less reallocations out).</summary>
public sealed record FundBalances(decimal Budget, decimal Available, decimal Reserved, decimal Paid)
{
    public decimal Remaining => Available;
}

public sealed record CreateFund(
    [property: MaxLength(CreateFund.MaxNameLength)] string? Name,
    [property: MaxLength(CreateFund.MaxOwnerLength)] string? Owner,
    DateOnly? PeriodStart,
    DateOnly? PeriodEnd,
    [property: Amount] decimal? Budget,
    [property: Amount] decimal? ApprovalThreshold,
    [property: Amount(MinimumIsExclusive = true)] decimal? HouseholdCap,
    [property: Amount] decimal? LowBalanceThreshold,
    bool? ReportToBenefitSystem)
{
    public const int MaxNameLength = 200;
    public const int MaxOwnerLength = 100;

    public (Fund Fund, decimal Budget) Validate(ValidationErrors errors, Guid id)
    {
        var name = errors.Text("name", Name, MaxNameLength);
        var owner = errors.Text("owner", Owner, MaxOwnerLength);
        if (PeriodStart is null)
        {
            errors.Add("periodStart", "Required: the first day of the fund's period (yyyy-MM-dd).");
        }
        if (PeriodEnd is null)
        {
            errors.Add("periodEnd", "Required: the day after the fund's period (yyyy-MM-dd).");
        }
        else if (PeriodStart is { } start && PeriodEnd <= start)
        {
            errors.Add("periodEnd", "Must be after periodStart.");
        }
        var budget = errors.NotNegative("budget", Budget);
        var threshold = errors.NotNegative("approvalThreshold", ApprovalThreshold);
        var cap = errors.Positive("householdCap", HouseholdCap);
        var low = errors.NotNegative("lowBalanceThreshold", LowBalanceThreshold);
        if (ReportToBenefitSystem is null)
        {
            errors.Add("reportToBenefitSystem", "Required: whether the fund's payments are reported to the NAV-style benefit system.");
        }
        return (new Fund(id, name, owner, PeriodStart ?? default, PeriodEnd ?? default, threshold, cap, low, ReportToBenefitSystem ?? false), budget);
    }
}

public sealed record TopUpFund([property: Amount(MinimumIsExclusive = true)] decimal? Amount, [property: MaxLength(TopUpFund.MaxNoteLength)] string? Note)
{
    public const int MaxNoteLength = 500;

    public (decimal Amount, string Note) Validate(ValidationErrors errors) =>
        (errors.Positive("amount", Amount), errors.OptionalText("note", Note, MaxNoteLength) ?? "top-up");
}

public sealed record ReallocateFunds(
    Guid? ToFundId, [property: Amount(MinimumIsExclusive = true)] decimal? Amount, [property: MaxLength(ReallocateFunds.MaxReasonLength)] string? Reason)
{
    public const int MaxReasonLength = 500;

    public (Guid ToFundId, decimal Amount, string Reason) Validate(ValidationErrors errors, Guid fromFundId)
    {
        if (ToFundId is null)
        {
            errors.Add("toFundId", "Required: the fund that receives the money.");
        }
        else if (ToFundId == fromFundId)
        {
            errors.Add("toFundId", "Must be another fund.");
        }
        return (ToFundId ?? Guid.Empty, errors.Positive("amount", Amount), errors.Text("reason", Reason, MaxReasonLength));
    }
}
