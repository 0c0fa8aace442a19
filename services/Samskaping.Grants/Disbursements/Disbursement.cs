using System.ComponentModel.DataAnnotations;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Disbursements;

/// <summary>Utbetaling: <c>planned → paid | stopped | cancelled</c>; the three outcomes are final.</summary>
public static class DisbursementStatuses
{
    public const string Planned = "planned";
    public const string Paid = "paid";
    public const string Stopped = "stopped";
    public const string Cancelled = "cancelled";

    public static bool CanMove(string from, string to) => from == Planned && to is Paid or Stopped or Cancelled;
}

/// <param name="PaidOn">The day the payment left the municipality's account.</param>
/// <param name="PaymentReference">The payment system's reference (utbetalingsreferanse).</param>
public sealed record MarkPaid(DateOnly? PaidOn, [property: MaxLength(MarkPaid.MaxReferenceLength)] string? PaymentReference)
{
    public const int MaxReferenceLength = 100;

    public (DateOnly PaidOn, string Reference) Validate(ValidationErrors errors)
    {
        if (PaidOn is null)
        {
            errors.Add("paidOn", "Required: the payment date (yyyy-MM-dd).");
        }
        return (PaidOn ?? default, errors.Text("paymentReference", PaymentReference, MaxReferenceLength));
    }
}

/// <summary>Stopping (e.g. the family's situation changed) or cancelling (annulling a mistaken payment) needs a reason.</summary>
public sealed record EndDisbursement([property: MaxLength(EndDisbursement.MaxReasonLength)] string? Reason)
{
    public const int MaxReasonLength = 1000;

    public string Validate(ValidationErrors errors) => errors.Text("reason", Reason, MaxReasonLength);
}
