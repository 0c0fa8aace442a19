namespace Samskaping.Contracts.Coordination;

/// <summary>A sector no longer participates in the case (and loses access to it).</summary>
public sealed record SectorLeftCase(Guid CaseId, string Sector, string Reason, DateTimeOffset LeftAt) : ICaseMessage;
