namespace Samskaping.Workspace.Api;

/// <summary>GET /api/cases/citizen/cases: the signed-in citizen's cases and their children's.</summary>
public sealed record CitizenCaseList(IReadOnlyList<CitizenCaseItem> Cases);

public sealed record CitizenCaseItem(Guid Id, string HouseholdName, string Status, DateTimeOffset OpenedAt, IReadOnlyList<CitizenWhose> Whose);

/// <summary>Whose case it is: a member's first name, and <c>self</c> or <c>child</c>.</summary>
public sealed record CitizenWhose(string FirstName, string Relation);

/// <summary>GET /api/cases/citizen/cases/{caseId}: what the cases service holds about the case, for the family.</summary>
public sealed record CitizenOverview(
    Guid Id,
    string HouseholdName,
    string Status,
    DateTimeOffset OpenedAt,
    IReadOnlyList<CitizenWhose> Whose,
    IReadOnlyList<CitizenText> Needs,
    IReadOnlyList<CitizenText> Resources,
    IReadOnlyList<CitizenMember> Members,
    IReadOnlyList<CitizenGoal> Goals,
    IReadOnlyList<string> ParticipatingSectors,
    string? LeadSector,
    IReadOnlyList<CitizenConsent> Consents);

public sealed record CitizenText(string Text, string? SaidBy, DateTimeOffset RecordedAt);

public sealed record CitizenMember(string Name, string Role, bool IsYou);

public sealed record CitizenGoal(string Text, string ProposedBy, string Status, DateTimeOffset AgreedAt);

public sealed record CitizenConsent(
    Guid Id, string About, string GivenBy, IReadOnlyList<string> Sectors, IReadOnlyList<string> Purposes, IReadOnlyList<string> DataCategories,
    DateTimeOffset ValidFrom, DateTimeOffset? ValidTo, string State, DateTimeOffset? WithdrawnAt);

/// <summary>GET /api/cases/citizen/access-log: who looked at the person's and their children's data.</summary>
public sealed record CitizenAccessPage(IReadOnlyList<CitizenAccessEntry> Entries, string? NextCursor);

public sealed record CitizenAccessEntry(
    DateTimeOffset At, string Service, string Role, string Sector, string Action, string? Purpose, Guid? CaseId,
    string About, string? FirstName, bool ByYou, string? OnBehalfOfSector);
