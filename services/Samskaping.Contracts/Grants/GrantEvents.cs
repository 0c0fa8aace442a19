namespace Samskaping.Contracts.Grants;

/// <summary>A grant was requested for a case's household. <paramref name="Purpose"/> is in the family's own words.</summary>
/// <param name="ReportToBenefitSystem">The fund is marked to be reported to the NAV-style benefit system (Digisos status feed).</param>
public sealed record GrantRequested(
    Guid CaseId,
    Guid GrantId,
    Guid HouseholdId,
    Guid FundId,
    decimal Amount,
    string Purpose,
    string? Category,
    string RequestedBy,
    string RequestedBySector,
    DateTimeOffset RequestedAt,
    bool ReportToBenefitSystem = false) : ICaseMessage;

/// <summary>A grant was approved and its amount reserved in the fund.</summary>
/// <param name="SecondApprover">The grant-approver when the amount was above the fund's threshold (four eyes).</param>
public sealed record GrantApproved(
    Guid CaseId,
    Guid GrantId,
    Guid FundId,
    decimal Amount,
    string ApprovedBy,
    string? SecondApprover,
    DateTimeOffset ApprovedAt) : ICaseMessage;

/// <summary>
/// A grant's amount was raised: a partly granted decision changed on appeal to grant more. <paramref name="Increase"/>
/// more is reserved in the fund and will be paid; <paramref name="Amount"/> is what the grant is now (its
/// <see cref="GrantApproved"/> told the amount before).
/// </summary>
/// <param name="SecondApprover">The grant-approver when the new amount is above the fund's threshold (four eyes).</param>
public sealed record GrantIncreased(
    Guid CaseId,
    Guid GrantId,
    Guid FundId,
    decimal Amount,
    decimal Increase,
    string ApprovedBy,
    string? SecondApprover,
    DateTimeOffset IncreasedAt) : ICaseMessage;

public sealed record GrantDeclined(
    Guid CaseId,
    Guid GrantId,
    Guid FundId,
    string Reason,
    string DeclinedBy,
    DateTimeOffset DeclinedAt) : ICaseMessage;

/// <summary>Who receives a disbursement.</summary>
public static class PayeeKinds
{
    public const string Family = "family";
    public const string ThirdParty = "third-party";
}

/// <summary>A payment was planned. The payee's name and account are carried for the benefit-system feed
/// (the Digisos <c>utbetaling</c> needs them); consumers must not log them. A planned payment whose amount is raised
/// (a partly granted decision changed on appeal) is announced again, with the same id and its new amount.</summary>
/// <param name="OrganisationNumber">Set when the payee is a third party.</param>
/// <param name="ReportToBenefitSystem">Whether the fund's payments are reported to the NAV-style system.</param>
public sealed record DisbursementPlanned(
    Guid CaseId,
    Guid GrantId,
    Guid DisbursementId,
    Guid FundId,
    decimal Amount,
    DateOnly DueOn,
    string PayeeKind,
    string PayeeName,
    string AccountNumber,
    string? OrganisationNumber,
    string Purpose,
    bool ReportToBenefitSystem,
    DateTimeOffset PlannedAt) : ICaseMessage;

public sealed record DisbursementPaid(
    Guid CaseId,
    Guid GrantId,
    Guid DisbursementId,
    Guid FundId,
    decimal Amount,
    DateOnly PaidOn,
    string PaymentReference,
    DateTimeOffset RecordedAt) : ICaseMessage;

/// <summary>A planned payment was stopped (for example because the case closed); its reservation is released.</summary>
public sealed record DisbursementStopped(
    Guid CaseId,
    Guid GrantId,
    Guid DisbursementId,
    Guid FundId,
    decimal Amount,
    string Reason,
    DateTimeOffset StoppedAt) : ICaseMessage;

/// <summary>A planned payment was cancelled (annulled) before it was paid; its reservation is released.</summary>
public sealed record DisbursementCancelled(
    Guid CaseId,
    Guid GrantId,
    Guid DisbursementId,
    Guid FundId,
    decimal Amount,
    string Reason,
    DateTimeOffset CancelledAt) : ICaseMessage;

/// <summary>
/// A pain.001 payment file was produced for a fund: its payments (<paramref name="DisbursementIds"/>) left the planned
/// state for the bank and each is answered later by DisbursementPaid or DisbursementFailed.
/// </summary>
public sealed record PaymentFileProduced(
    Guid FundId,
    Guid PaymentFileId,
    string MessageId,
    int NumberOfPayments,
    decimal Total,
    DateOnly RequestedExecutionDate,
    IReadOnlyList<Guid> DisbursementIds,
    string ProducedBy,
    DateTimeOffset ProducedAt);

/// <summary>The bank rejected a payment (pain.002); its reservation is released and the household's cap given back.</summary>
/// <param name="ReasonCode">The ISO 20022 status reason code the bank gave (e.g. AC04 closed account), or null.</param>
public sealed record DisbursementFailed(
    Guid CaseId,
    Guid GrantId,
    Guid DisbursementId,
    Guid FundId,
    decimal Amount,
    string? ReasonCode,
    string Reason,
    DateTimeOffset FailedAt) : ICaseMessage;

/// <summary>A fund's available amount dropped below its low-balance threshold.</summary>
public sealed record FundLow(
    Guid FundId,
    string Name,
    decimal Available,
    decimal Threshold,
    DateTimeOffset At);
