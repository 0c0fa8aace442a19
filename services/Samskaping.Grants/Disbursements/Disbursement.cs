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
public sealed record MarkPaid(DateOnly? PaidOn, string? PaymentReference)
{
    public (DateOnly PaidOn, string Reference) Validate(ValidationErrors errors)
    {
        if (PaidOn is null)
        {
            errors.Add("paidOn", "Required: the payment date (yyyy-MM-dd).");
        }
        return (PaidOn ?? default, errors.Text("paymentReference", PaymentReference, 100));
    }
}

/// <summary>Stopping (e.g. the family's situation changed) or cancelling (annulling a mistaken payment) needs a reason.</summary>
public sealed record EndDisbursement(string? Reason)
{
    public string Validate(ValidationErrors errors) => errors.Text("reason", Reason, 1000);
}
