namespace Samskaping.Cases.Citizens;

/// <summary>Whose case it is to the signed-in person: the member's first name, and <c>self</c> or <c>child</c>.</summary>
public sealed record CitizenWhoseDto(string FirstName, string Relation)
{
    public static IReadOnlyList<CitizenWhoseDto> From(ReachedCase reached) =>
        [.. reached.Through.Select(t => new CitizenWhoseDto(FirstNameOf(t.Name), t.Relation))];

    /// <summary>The first word of the name as the household recorded it.</summary>
    public static string FirstNameOf(string name) => name.Trim().Split(' ', 2)[0];
}

public sealed record CitizenCaseDto(Guid Id, string HouseholdName, string Status, DateTimeOffset OpenedAt, IReadOnlyList<CitizenWhoseDto> Whose);

/// <summary>GET /api/cases/citizen/cases.</summary>
public sealed record CitizenCaseList(IReadOnlyList<CitizenCaseDto> Cases);

/// <summary>What the family said, in its own words, and when it was written down.</summary>
public sealed record CitizenTextDto(string Text, string? SaidBy, DateTimeOffset RecordedAt);

/// <summary>A member of the household: name and relation (role) only, never an identity number.</summary>
public sealed record CitizenMemberDto(string Name, string Role, bool IsYou);

public sealed record CitizenGoalDto(string Text, string ProposedBy, string Status, DateTimeOffset AgreedAt);

/// <summary>A consent of the case, named by the members it is about and given by.</summary>
public sealed record CitizenConsentDto(
    Guid Id, string About, string GivenBy, IReadOnlyList<string> Sectors, IReadOnlyList<string> Purposes, IReadOnlyList<string> DataCategories,
    DateTimeOffset ValidFrom, DateTimeOffset? ValidTo, string State, DateTimeOffset? WithdrawnAt);

/// <summary>GET /api/cases/citizen/cases/{caseId}: the overview of one case, from what the cases service holds.</summary>
public sealed record CitizenOverviewDto(
    Guid Id,
    string HouseholdName,
    string Status,
    DateTimeOffset OpenedAt,
    IReadOnlyList<CitizenWhoseDto> Whose,
    IReadOnlyList<CitizenTextDto> Needs,
    IReadOnlyList<CitizenTextDto> Resources,
    IReadOnlyList<CitizenMemberDto> Members,
    IReadOnlyList<CitizenGoalDto> Goals,
    IReadOnlyList<string> ParticipatingSectors,
    string? LeadSector,
    IReadOnlyList<CitizenConsentDto> Consents);

/// <summary>
/// One read or change of the person's (or their child's) data, in any service: when, which service, in which role and
/// sector, what and why; <see cref="About"/> is <c>self</c>, <c>child</c> or <c>case</c> (the case as a whole),
/// <see cref="ByYou"/> when it was the person's own read.
/// </summary>
public sealed record CitizenAccessEntryDto(
    DateTimeOffset At, string Service, string Role, string Sector, string Action, string? Purpose, Guid? CaseId,
    string About, string? FirstName, bool ByYou, string? OnBehalfOfSector);

/// <summary>GET /api/cases/citizen/access-log: newest first; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record CitizenAccessPage(IReadOnlyList<CitizenAccessEntryDto> Entries, string? NextCursor);
