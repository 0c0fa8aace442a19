namespace Samskaping.Contracts.Cases;

/// <summary>A case moved in its lifecycle (<see cref="CaseStatuses"/>). A reopen is a change from closed or closing.</summary>
/// <param name="ChangedBy">Subject id of the worker.</param>
/// <param name="Reason">Why, as the worker wrote it (no identity numbers).</param>
public sealed record CaseStatusChanged(
    Guid CaseId,
    string From,
    string To,
    string Reason,
    string ChangedBy,
    string ChangedBySector,
    DateTimeOffset ChangedAt) : ICaseMessage;
