namespace Samskaping.Contracts.Coordination;

/// <summary>The case has a new lead coordinator (stafettholder). Exactly one at a time.</summary>
public sealed record CoordinatorAssigned(Guid CaseId, string Coordinator, string Sector, DateTimeOffset AssignedAt) : ICaseMessage;
