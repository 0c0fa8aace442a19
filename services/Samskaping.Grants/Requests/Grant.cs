using System.ComponentModel.DataAnnotations;
using Samskaping.Contracts.Grants;
using Samskaping.Grants.Funds;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Requests;

public static class GrantStatuses
{
    public const string Requested = "requested";
    public const string Approved = "approved";
    public const string Declined = "declined";
}

/// <summary>Optional categories of a grant, for reports; the purpose in the family's own words is what counts.</summary>
public static class GrantCategories
{
    public static IReadOnlyList<string> All { get; } = ["leisure", "school", "equipment", "housing", "transport", "health", "household", "other"];
}

/// <summary>Who receives the money: the family's own account, or a third party (club, shop, landlord) by organisation number.</summary>
public sealed record Payee(string Kind, string Name, string AccountNumber, string? OrganisationNumber);

/// <summary>One payment of a grant's plan. A one-off grant has one instalment, due when it is approved unless a date is given.</summary>
public sealed record Instalment(int Number, decimal Amount, DateOnly? DueOn);

/// <summary>A validated grant request.</summary>
public sealed record GrantRequest(Guid FundId, decimal Amount, string Purpose, string? Category, Payee Payee, IReadOnlyList<Instalment> Instalments);

public sealed record PayeeBody(
    [property: AllowedValues(PayeeKinds.Family, PayeeKinds.ThirdParty)] string? Kind,
    [property: MaxLength(RequestGrant.MaxPayeeNameLength)] string? Name,
    [property: MaxLength(NorwegianNumbers.MaxTextLength)] string? AccountNumber,
    [property: MaxLength(NorwegianNumbers.MaxTextLength)] string? OrganisationNumber);

public sealed record InstalmentBody([property: Amount(MinimumIsExclusive = true)] decimal? Amount, DateOnly? DueOn);

/// <summary>The body of a grant request.</summary>
/// <param name="Purpose">What the money is for, in the family's own words.</param>
/// <param name="Instalments">A plan of payments that sums to the amount; leave out for a one-off payment.</param>
/// <param name="DueOn">For a one-off payment: when it is due (default: the day it is approved).</param>
public sealed record RequestGrant(
    Guid? FundId,
    [property: Amount(MinimumIsExclusive = true)] decimal? Amount,
    [property: MaxLength(RequestGrant.MaxPurposeLength)] string? Purpose,
    [property: AllowedValues("leisure", "school", "equipment", "housing", "transport", "health", "household", "other")] string? Category,
    PayeeBody? Payee,
    [property: MaxLength(RequestGrant.MaxInstalments)] IReadOnlyList<InstalmentBody>? Instalments,
    DateOnly? DueOn = null)
{
    public const int MaxPurposeLength = 2000;
    public const int MaxInstalments = 24;
    public const int MaxCategoryLength = 50;
    public const int MaxPayeeNameLength = 200;

    public GrantRequest Validate(ValidationErrors errors)
    {
        if (FundId is null || FundId == Guid.Empty)
        {
            errors.Add("fundId", "Required: the fund to grant from.");
        }
        var amount = errors.Positive("amount", Amount);
        var purpose = errors.Text("purpose", Purpose, MaxPurposeLength);
        var category = errors.OptionalText("category", Category, MaxCategoryLength);
        if (category is not null && !GrantCategories.All.Contains(category))
        {
            errors.Add("category", $"One of: {string.Join(", ", GrantCategories.All)} (or leave it out).");
        }
        var payee = ValidatePayee(errors);
        var instalments = ValidateInstalments(errors, amount);
        return new GrantRequest(FundId ?? Guid.Empty, amount, purpose, category, payee, instalments);
    }

    private Payee ValidatePayee(ValidationErrors errors)
    {
        if (Payee is null)
        {
            errors.Add("payee", "Required: who receives the money (kind, name, accountNumber; organisationNumber for a third party).");
            return new Payee("", "", "", null);
        }
        var kind = Payee.Kind?.Trim();
        if (kind is not (PayeeKinds.Family or PayeeKinds.ThirdParty))
        {
            errors.Add("payee.kind", $"'{PayeeKinds.Family}' or '{PayeeKinds.ThirdParty}'.");
        }
        var name = errors.Text("payee.name", Payee.Name, MaxPayeeNameLength);
        if (Payee.AccountNumber is { Length: > NorwegianNumbers.MaxTextLength })
        {
            errors.Add("payee.accountNumber", $"At most {NorwegianNumbers.MaxTextLength} characters.");
        }
        if (Payee.OrganisationNumber is { Length: > NorwegianNumbers.MaxTextLength })
        {
            errors.Add("payee.organisationNumber", $"At most {NorwegianNumbers.MaxTextLength} characters.");
        }
        var account = Payee.AccountNumber is null ? null : NorwegianNumbers.Normalise(Payee.AccountNumber.Trim());
        if (!NorwegianNumbers.IsAccountNumber(account))
        {
            errors.Add("payee.accountNumber", "A Norwegian account number: 11 digits with a valid mod-11 check digit.");
        }
        var organisation = Payee.OrganisationNumber is null ? null : NorwegianNumbers.Normalise(Payee.OrganisationNumber.Trim());
        if (kind == PayeeKinds.ThirdParty && !NorwegianNumbers.IsOrganisationNumber(organisation))
        {
            errors.Add("payee.organisationNumber", "A Norwegian organisation number: 9 digits with a valid mod-11 check digit.");
        }
        else if (kind == PayeeKinds.Family && !string.IsNullOrWhiteSpace(organisation))
        {
            errors.Add("payee.organisationNumber", "Only for a third-party payee.");
        }
        return new Payee(kind ?? "", name, account ?? "", kind == PayeeKinds.ThirdParty ? organisation : null);
    }

    private List<Instalment> ValidateInstalments(ValidationErrors errors, decimal amount)
    {
        if (Instalments is null || Instalments.Count == 0)
        {
            return [new Instalment(1, amount, DueOn)];
        }
        if (DueOn is not null)
        {
            errors.Add("dueOn", "Give either dueOn (one-off) or instalments, not both.");
        }
        if (Instalments.Count > MaxInstalments)
        {
            errors.Add("instalments", $"At most {MaxInstalments} instalments.");
            return [];
        }
        var plan = new List<Instalment>();
        for (var i = 0; i < Instalments.Count; i++)
        {
            var field = $"instalments[{i}]";
            if (Instalments[i] is not { } instalment)
            {
                errors.Add(field, "Required: amount and dueOn.");
                continue;
            }
            var part = errors.Positive($"{field}.amount", instalment.Amount);
            if (instalment.DueOn is null)
            {
                errors.Add($"{field}.dueOn", "Required: the day the instalment is due (yyyy-MM-dd).");
            }
            plan.Add(new Instalment(i + 1, part, instalment.DueOn));
        }
        if (plan.Count == Instalments.Count && plan.Sum(p => p.Amount) != amount)
        {
            errors.Add("instalments", $"The instalments sum to {plan.Sum(p => p.Amount)}, not to the amount {amount}.");
        }
        return plan;
    }
}

/// <summary>What an approval grants: everything asked for (no amount), or less, with the reason the letter gives.</summary>
public sealed record ApprovalTerms(decimal? Amount, string? Reason);

/// <summary>The body of an approval; leave it out to grant everything asked for.</summary>
/// <param name="Amount">Less than asked for (delvis innvilget, one-off grants only); the reason is then required.</param>
/// <param name="Reason">Why, in plain language: the letter's reasons (begrunnelse).</param>
public sealed record ApproveGrant([property: Amount(MinimumIsExclusive = true)] decimal? Amount, [property: MaxLength(DeclineGrant.MaxReasonLength)] string? Reason)
{
    public ApprovalTerms Validate(ValidationErrors errors) =>
        new(Amount is null ? null : errors.Positive("amount", Amount), errors.OptionalText("reason", Reason, DeclineGrant.MaxReasonLength));
}

/// <summary>A refusal (avslag) or a dismissal (avvisning), with the reason the letter gives.</summary>
public sealed record DeclineTerms(string Reason, string Outcome);

/// <param name="Reason">Why, in plain language: the letter's reasons (begrunnelse).</param>
/// <param name="Outcome">avslatt (considered and refused; the default) or avvist (not considered on its merits).</param>
public sealed record DeclineGrant(
    [property: MaxLength(DeclineGrant.MaxReasonLength)] string? Reason,
    [property: AllowedValues(null, DecisionOutcomes.Refused, DecisionOutcomes.Dismissed)] string? Outcome = null)
{
    public const int MaxReasonLength = 1000;

    public DeclineTerms Validate(ValidationErrors errors)
    {
        var reason = errors.Text("reason", Reason, MaxReasonLength);
        if (Outcome is not (null or DecisionOutcomes.Refused or DecisionOutcomes.Dismissed))
        {
            errors.Add("outcome", $"'{DecisionOutcomes.Refused}' (refused, the default) or '{DecisionOutcomes.Dismissed}' (dismissed without consideration).");
        }
        return new DeclineTerms(reason, Outcome ?? DecisionOutcomes.Refused);
    }
}

/// <summary>Who may approve a grant, by the fund's threshold (four eyes above it).</summary>
public enum ApprovalRule
{
    /// <summary>At or below the threshold: a worker of a participating sector decides alone (the requester too).</summary>
    DecidesAlone,

    /// <summary>Above the threshold, approved by a grant-approver who is not the requester: the second pair of eyes.</summary>
    SecondApprover,

    /// <summary>Above the threshold, and the approver is not a grant-approver.</summary>
    NeedsGrantApprover,

    /// <summary>Above the threshold, and the grant-approver is the one who requested it.</summary>
    RequesterCannotApprove,

    /// <summary>The grant has been decided already.</summary>
    AlreadyDecided,
}

public static class Decisions
{
    /// <summary>
    /// Four eyes above the threshold: the pilot's trust model lets one caseworker decide small amounts alone, and
    /// the request of a participating worker is the first pair of eyes for larger ones.
    /// </summary>
    public static ApprovalRule Approval(string status, string requestedBy, decimal amount, Fund fund, CurrentUser approver)
    {
        if (status != GrantStatuses.Requested)
        {
            return ApprovalRule.AlreadyDecided;
        }
        if (!fund.NeedsSecondApprover(amount))
        {
            return ApprovalRule.DecidesAlone;
        }
        if (approver.Role != Roles.GrantApprover)
        {
            return ApprovalRule.NeedsGrantApprover;
        }
        return approver.Subject == requestedBy ? ApprovalRule.RequesterCannotApprove : ApprovalRule.SecondApprover;
    }

    /// <summary>Whether the household may be granted <paramref name="amount"/> more from the fund this period.</summary>
    public static bool WithinHouseholdCap(decimal alreadyCommitted, decimal amount, decimal cap) => alreadyCommitted + amount <= cap;
}
