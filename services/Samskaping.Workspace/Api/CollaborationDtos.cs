namespace Samskaping.Workspace.Api;

// What "Samarbeid og stafett" reads besides the coordination group (Dtos.cs): the lead history, handovers, sectors.

public sealed record LeadPeriodEntry(Guid Id, string Coordinator, string Sector, DateTimeOffset Since, DateTimeOffset? Until);

public sealed record HandoverEntry(
    Guid Id,
    string From,
    string FromSector,
    string To,
    string ToSector,
    string? Note,
    DateTimeOffset RequestedAt,
    string Status,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Reason);

