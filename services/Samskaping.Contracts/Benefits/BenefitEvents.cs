namespace Samskaping.Contracts.Benefits;

/// <summary>What the benefit system said happened to a person's benefit.</summary>
public static class BenefitStatuses
{
    public const string Granted = "granted";
    public const string Changed = "changed";
    public const string Stopped = "stopped";

    public static IReadOnlyList<string> All { get; } = [Granted, Changed, Stopped];
}

/// <summary>
/// The NAV-style benefit system told us that a benefit of a person in this case's household was granted, changed or
/// stopped. One event per case the person belongs to. It names the person by our id only: never an identity number.
/// </summary>
/// <param name="SenderEventId">The benefit system's own id of the notification (we accept each once).</param>
/// <param name="Benefit">The benefit, as the benefit system names it (for example "økonomisk sosialhjelp").</param>
/// <param name="MonthlyAmount">Amount per month in NOK, when the benefit system gave one.</param>
public sealed record BenefitStatusChanged(
    Guid CaseId,
    Guid HouseholdId,
    Guid PersonId,
    string SenderEventId,
    string Benefit,
    string Status,
    decimal? MonthlyAmount,
    DateOnly? From,
    DateOnly? To,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt) : ICaseMessage;

/// <summary>The benefit system accepted (202) version <paramref name="Version"/> of the case's status document.</summary>
/// <param name="Events">How many events (hendelser) the delivered document holds: the complete history.</param>
public sealed record StatusFeedDelivered(
    Guid CaseId,
    string DigisosId,
    int Version,
    int Events,
    DateTimeOffset DeliveredAt) : ICaseMessage;

/// <summary>Why a status document did not reach the benefit system.</summary>
public static class StatusFeedRejections
{
    /// <summary>Our own document failed NAV's JSON schema: a defect on our side; it was not sent.</summary>
    public const string InvalidDocument = "invalid-document";

    /// <summary>The benefit system refused the document (a 4xx other than 408/429); it is not retried until it changes.</summary>
    public const string RefusedByReceiver = "refused-by-receiver";
}

/// <summary>Version <paramref name="Version"/> of the case's status document was not delivered and will not be retried as it is.</summary>
/// <param name="Reason">One of <see cref="StatusFeedRejections"/>.</param>
/// <param name="Detail">What was wrong, without personal data.</param>
public sealed record StatusFeedRejected(
    Guid CaseId,
    int Version,
    string Reason,
    string Detail,
    DateTimeOffset RejectedAt) : ICaseMessage;
