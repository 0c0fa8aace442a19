namespace Samskaping.Contracts.Cases;

/// <summary>Why a case's personal data is removed: its retention period ran out, or it was opened by mistake.</summary>
public static class AnonymisationGrounds
{
    /// <summary>Closed longer than the municipality's retention period and under no legal hold.</summary>
    public const string RetentionExpired = "retention-expired";

    /// <summary>The privacy officer erased a case opened by mistake (the reason says why).</summary>
    public const string OpenedByMistake = "opened-by-mistake";

    public static IReadOnlyList<string> All { get; } = [RetentionExpired, OpenedByMistake];
}

/// <summary>
/// Every service removes or irreversibly anonymises the personal data it holds about <paramref name="CaseId"/>:
/// names, identity numbers, birth dates, free text in the family's words, relay-log text, account numbers. What
/// statistics and the law need stays without a link to a person (the ledger's amounts, outcome scores in the
/// aggregates). The one event that starts it; each service acts on it once (inbox), through its own privileged,
/// audited database function, and announces <see cref="CaseAnonymisedInService"/> when it has.
/// </summary>
/// <param name="Ground">One of <see cref="AnonymisationGrounds"/>.</param>
/// <param name="Reason">Plain words for the audit trail; never personal data.</param>
/// <param name="OrderedBy">The privacy officer's subject id, or <c>retention</c> for the scheduled sweep.</param>
public sealed record CaseAnonymisationOrdered(
    Guid CaseId,
    Guid AnonymisationId,
    string Ground,
    string Reason,
    string OrderedBy,
    DateTimeOffset OrderedAt) : ICaseMessage;

/// <summary>One service has done its part of <see cref="CaseAnonymisationOrdered"/>, so cases can show the privacy
/// officer which services are done and which are still due.</summary>
/// <param name="Service">The service's name (cases, coordination, grants, outcomes, benefits).</param>
/// <param name="RowsAnonymised">How many rows the service's function changed or removed (audit, no personal data).</param>
public sealed record CaseAnonymisedInService(
    Guid CaseId,
    Guid AnonymisationId,
    string Service,
    int RowsAnonymised,
    DateTimeOffset AnonymisedAt) : ICaseMessage;
