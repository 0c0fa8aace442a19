namespace Samskaping.Workspace.Api;

// The relay log page's reading of GET /api/coordination/cases/{caseId}/relay-log: only the fields it shows.

/// <summary>One entry as the API shows it to this person: <see cref="Text"/> is null exactly when <see cref="Withheld"/>
/// names the data category the person's consents do not cover.</summary>
public sealed record RelayLogEntry(
    Guid Id,
    string Type,
    string Author,
    string? AuthorSector,
    DateTimeOffset At,
    string Confidentiality,
    string? Text,
    Guid? Corrects,
    string? Category,
    string? Withheld);
