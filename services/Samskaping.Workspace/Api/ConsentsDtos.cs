namespace Samskaping.Workspace.Api;

// What "Husstand og samtykker" reads: the household with each member's guardians, and the consents' full history.

public sealed record HouseholdMember(Guid PersonId, string Name, DateOnly BirthDate, string Role, IReadOnlyList<Guid> Guardians);

public sealed record CaseHousehold(Guid Id, string HouseholdName, IReadOnlyList<HouseholdMember> Members);

public sealed record ConsentRecord(
    Guid Id,
    Guid PersonId,
    Guid GivenByPersonId,
    IReadOnlyList<string> Sectors,
    IReadOnlyList<string> Purposes,
    IReadOnlyList<string> DataCategories,
    DateTimeOffset ValidFrom,
    DateTimeOffset? ValidTo,
    string RecordedBy,
    DateTimeOffset RecordedAt,
    string State,
    DateTimeOffset? WithdrawnAt,
    string? WithdrawnBy,
    string? WithdrawalReason);
