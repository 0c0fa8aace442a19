using System.ComponentModel.DataAnnotations;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Disbursements;

/// <summary>
/// Utbetaling: <c>planned → paid | stopped | cancelled</c>, or through the bank <c>planned → sent → paid | failed</c>
/// (a sent payment may also be marked paid by hand when the bank's answer never comes); the outcomes are final. A sent
/// payment is at the bank, so it can no longer be stopped or cancelled here.
/// </summary>
public static class DisbursementStatuses
{
    public const string Planned = "planned";
    public const string Sent = "sent";
    public const string Paid = "paid";
    public const string Failed = "failed";
    public const string Stopped = "stopped";
    public const string Cancelled = "cancelled";

    public static bool CanMove(string from, string to) =>
        (from == Planned && to is Sent or Paid or Stopped or Cancelled) || (from == Sent && to is Paid or Failed);
}

/// <param name="PaidOn">The day the payment left the municipality's account.</param>
/// <param name="PaymentReference">The payment system's reference (utbetalingsreferanse).</param>
public sealed record MarkPaid(DateOnly? PaidOn, [property: MaxLength(MarkPaid.MaxReferenceLength)] string? PaymentReference)
{
    public const int MaxReferenceLength = 100;

    /// <summary>
    /// A payment run may be booked a few days before its value date, and recorded as paid on that date; a date further
    /// ahead is a typo or a plan, and a plan is an instalment's dueOn, not a payment.
    /// </summary>
    public const int MaxDaysAhead = 7;

    public (DateOnly PaidOn, string Reference) Validate(ValidationErrors errors, DateOnly today)
    {
        if (PaidOn is null)
        {
            errors.Add("paidOn", "Required: the payment date (yyyy-MM-dd).");
        }
        else if (PaidOn > today.AddDays(MaxDaysAhead))
        {
            errors.Add("paidOn", $"At most {MaxDaysAhead} days after today ({today:yyyy-MM-dd}): the day the money left the municipality's account.");
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
