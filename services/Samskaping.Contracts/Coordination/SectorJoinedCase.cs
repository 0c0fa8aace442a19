namespace Samskaping.Contracts.Coordination;

/// <summary>A sector now participates in the case's coordination group, with role "lead" or "contributor".</summary>
public sealed record SectorJoinedCase(Guid CaseId, string Sector, string Role, DateTimeOffset JoinedAt) : ICaseMessage;
