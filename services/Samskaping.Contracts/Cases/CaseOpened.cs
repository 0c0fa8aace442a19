namespace Samskaping.Contracts.Cases;

/// <summary>A family's case (sak) was opened. Carries no names or identity numbers.</summary>
/// <param name="OpenedBy">Subject id of the worker who opened it; they become the first lead coordinator.</param>
/// <param name="OpenedBySector">Sector code of the opener; it participates from the start.</param>
public sealed record CaseOpened(Guid CaseId, string OpenedBy, string OpenedBySector, DateTimeOffset OpenedAt);
