using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Samskaping.Contracts.Benefits;
using Samskaping.ServiceDefaults;

namespace Samskaping.Benefits.Inbound;

/// <summary>
/// POST /api/benefits/inbound: the benefit system tells us what happened to a person's benefit. The identity
/// number travels only in this body; it is never stored, logged or passed on.
/// </summary>
/// <param name="EventId">The sender's own id of the notification; the same id is accepted once.</param>
/// <param name="Status">granted, changed or stopped.</param>
/// <param name="MonthlyAmount">NOK per month, at most 2 decimals.</param>
public sealed record InboundNotification(
    [property: MaxLength(InboundRules.MaxEventIdLength)] string? EventId,
    [property: MaxLength(IdentityNumber.MaxInputLength)] string? PersonIdent,
    [property: MaxLength(InboundRules.MaxBenefitLength)] string? Benefit,
    [property: AllowedValues(BenefitStatuses.Granted, BenefitStatuses.Changed, BenefitStatuses.Stopped)] string? Status,
    decimal? MonthlyAmount,
    DateOnly? From,
    DateOnly? To,
    DateTimeOffset? OccurredAt);

/// <summary>A notification that passed validation; <see cref="PersonIdent"/> is the 11 digits.</summary>
public sealed record ValidNotification(
    string EventId, string PersonIdent, string Benefit, string Status, decimal? MonthlyAmount, DateOnly? From, DateOnly? To, DateTimeOffset OccurredAt)
{
    /// <summary>Every field in a fixed form, for the fingerprint: two bodies that mean the same give the same text.</summary>
    public string Canonical() => string.Join('\n',
        EventId, PersonIdent, Benefit, Status,
        MonthlyAmount?.ToString("0.00", CultureInfo.InvariantCulture) ?? "",
        From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
        To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
        OccurredAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture));
}

public static class InboundRules
{
    public const int MaxEventIdLength = 200;
    public const int MaxBenefitLength = 200;
    public const decimal MaxMonthlyAmount = 10_000_000m;

    /// <summary>How far in the future an event's time may be (clock differences between the systems).</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    public static (ValidNotification? Valid, ValidationErrors Errors) Validate(InboundNotification request, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        var eventId = errors.Text("eventId", request.EventId, MaxEventIdLength);
        string? person = null;
        if (request.PersonIdent is null)
        {
            errors.Add("personIdent", "Required: the person's national identity number (11 digits).");
        }
        else if ((person = IdentityNumber.Parse(request.PersonIdent, out var why)?.Digits) is null)
        {
            errors.Add("personIdent", why!);
        }
        var benefit = errors.Text("benefit", request.Benefit, MaxBenefitLength);
        if (request.Status is null || !BenefitStatuses.All.Contains(request.Status))
        {
            errors.Add("status", $"One of: {string.Join(", ", BenefitStatuses.All)}.");
        }
        if (request.MonthlyAmount is { } amount && (amount < 0 || amount > MaxMonthlyAmount || decimal.Round(amount, 2) != amount))
        {
            errors.Add("monthlyAmount", $"NOK per month: 0 to {MaxMonthlyAmount:0}, at most 2 decimals.");
        }
        if (request.From is { } from && request.To is { } to && to < from)
        {
            errors.Add("to", "Must not be before from.");
        }
        if (request.OccurredAt is not { } occurredAt)
        {
            errors.Add("occurredAt", "Required: when it happened in the benefit system (ISO 8601 with offset).");
        }
        else if (occurredAt > now + FutureTolerance)
        {
            errors.Add("occurredAt", "Is in the future.");
        }
        return errors.IsValid
            ? (new ValidNotification(eventId, person!, benefit, request.Status!, request.MonthlyAmount, request.From, request.To, request.OccurredAt!.Value), errors)
            : (null, errors);
    }
}

/// <summary>What the sender is told; a replay of the same notification gets exactly this again.</summary>
/// <param name="Outcome"><c>delivered</c> (the cases the person belongs to were told) or <c>no-matching-person</c>
/// (we know no such person: recorded, and nobody was told).</param>
/// <param name="CasesNotified">How many cases got a BenefitStatusChanged.</param>
public sealed record InboundReceipt(string EventId, string Outcome, int CasesNotified, DateTimeOffset ReceivedAt, string Detail);

public static class InboundOutcomes
{
    public const string Delivered = "delivered";
    public const string NoMatchingPerson = "no-matching-person";
}
