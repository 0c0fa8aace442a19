namespace Samskaping.Contracts.Cases;

/// <summary>A case was closed. Published besides <see cref="CaseStatusChanged"/> so that services that only
/// care about the end (stop planned payments, take the closing measurement) need not follow every status.</summary>
public sealed record CaseClosed(Guid CaseId, string Reason, string ClosedBy, DateTimeOffset ClosedAt) : ICaseMessage;
