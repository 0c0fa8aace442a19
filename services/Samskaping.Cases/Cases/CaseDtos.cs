using Samskaping.Cases.Households;

namespace Samskaping.Cases.Cases;

/// <summary>A case with what the household told us.</summary>
public sealed record CaseView(Case Case, IReadOnlyList<MemberDto> Members, IReadOnlyList<ResourceDto> Resources, IReadOnlyList<GoalDto> Goals);

public sealed record NeedDto(Guid Id, string Text, string? SaidBy, string RecordedBy, DateTimeOffset RecordedAt)
{
    public static NeedDto From(Need n) => new(n.Id, n.Text, n.SaidBy, n.RecordedBy, n.RecordedAt);
}

public sealed record ResourceDto(Guid Id, string Text, string? SaidBy, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record GoalDto(Guid Id, string Text, string ProposedBy, string Status, string AgreedBy, DateTimeOffset AgreedAt);

public sealed record ReferralDto(string? Source, string? Reason);

public sealed record CaseStatusDto(Guid Id, string From, string Status, string Reason, DateTimeOffset ChangedAt);

public sealed record StatusChangeDto(string From, string To, string Reason, string ChangedBy, DateTimeOffset ChangedAt);

public sealed record CaseSummaryDto(Guid Id, Guid HouseholdId, string HouseholdName, string Status, string OpenedBy, string OpenedBySector, DateTimeOffset OpenedAt);

public sealed record CaseListPage(IReadOnlyList<CaseSummaryDto> Items, string? NextCursor);

public sealed record CaseDto(
    Guid Id,
    string HouseholdName,
    string Status,
    string OpenedBy,
    string OpenedBySector,
    DateTimeOffset OpenedAt,
    IReadOnlyList<NeedDto> Needs,
    IReadOnlyList<string> ParticipatingSectors,
    Guid HouseholdId,
    ReferralDto? Referral,
    IReadOnlyList<MemberDto> Members,
    IReadOnlyList<ResourceDto> Resources,
    IReadOnlyList<GoalDto> Goals)
{
    public static CaseDto From(CaseView view, IReadOnlyList<string> sectors)
    {
        var c = view.Case;
        return new(c.Id, c.HouseholdName, Case.StatusName(c.Status), c.OpenedBy, c.OpenedBySector, c.OpenedAt,
            [.. c.Needs.Select(NeedDto.From)], sectors, c.HouseholdId,
            c.ReferralSource is null && c.ReferralReason is null ? null : new ReferralDto(c.ReferralSource, c.ReferralReason),
            view.Members, view.Resources, view.Goals);
    }
}
