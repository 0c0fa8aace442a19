namespace Samskaping.Workspace.Api;

// What the pages read from the API: only the fields they show. The services own the full shapes (their OpenAPI documents).

public sealed record CaseSummary(Guid Id, string HouseholdName, string Status, string OpenedBy, string OpenedBySector, DateTimeOffset OpenedAt);

public sealed record CaseListPage(IReadOnlyList<CaseSummary> Items, string? NextCursor);

public sealed record Need(Guid Id, string Text, string? SaidBy, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record Member(Guid PersonId, string Name, DateOnly BirthDate, string Role);

public sealed record FamilyText(Guid Id, string Text, string? SaidBy, DateTimeOffset RecordedAt);

public sealed record Goal(Guid Id, string Text, string ProposedBy, string Status, DateTimeOffset AgreedAt);

public sealed record CaseDetails(
    Guid Id,
    string HouseholdName,
    string Status,
    string OpenedBy,
    string OpenedBySector,
    DateTimeOffset OpenedAt,
    IReadOnlyList<Need> Needs,
    IReadOnlyList<string> ParticipatingSectors,
    IReadOnlyList<Member> Members,
    IReadOnlyList<FamilyText> Resources,
    IReadOnlyList<Goal> Goals);

public sealed record Consent(
    Guid Id, Guid PersonId, IReadOnlyList<string> Sectors, IReadOnlyList<string> Purposes, IReadOnlyList<string> DataCategories,
    DateTimeOffset ValidFrom, DateTimeOffset? ValidTo, string State, DateTimeOffset? WithdrawnAt);

public sealed record GroupSector(string Sector, string Role, DateTimeOffset JoinedAt);

public sealed record LeadCoordinator(string Coordinator, string Sector, DateTimeOffset Since);

public sealed record CoordinationGroup(Guid CaseId, IReadOnlyList<GroupSector> Sectors, LeadCoordinator? Lead, DateTimeOffset? ClosedAt);

public sealed record Grant(Guid Id, decimal Amount, string Purpose, string Status, string RequestedBySector, DateTimeOffset RequestedAt);

public sealed record GrantCase(Guid CaseId, IReadOnlyList<Grant> Grants);

public sealed record WaitingHandover(Guid HandoverId, Guid CaseId, string From, string FromSector, string? Note, DateTimeOffset RequestedAt);

public sealed record MeasureWork(Guid MeasureId, Guid CaseId, string Title, string ResponsibleSector, DateOnly NextReviewOn, bool Overdue);

public sealed record CoordinatorTask(Guid Id, Guid CaseId, string Kind, string Title, DateTimeOffset CreatedAt);

public sealed record AppealWaiting(Guid AppealId, Guid CaseId, Guid GrantId, DateOnly ReceivedOn, DateOnly Deadline, bool Late);

public sealed record MyWorkList(
    IReadOnlyList<WaitingHandover> HandoversWaiting,
    IReadOnlyList<MeasureWork> ReviewsDue,
    IReadOnlyList<MeasureWork> ReviewsOverdue,
    IReadOnlyList<CoordinatorTask> Tasks,
    IReadOnlyList<AppealWaiting> AppealsWaiting);

public sealed record OpenedCase(Guid Id);
