namespace Samskaping.Contracts.Coordination;

/// <summary>The lead coordinator asked another person to take over. Until they accept, the current lead stays
/// responsible; an accepted handover is followed by <see cref="CoordinatorAssigned"/>.</summary>
public sealed record CoordinatorHandoverRequested(
    Guid CaseId,
    Guid HandoverId,
    string From,
    string To,
    string ToSector,
    DateTimeOffset RequestedAt) : ICaseMessage;
