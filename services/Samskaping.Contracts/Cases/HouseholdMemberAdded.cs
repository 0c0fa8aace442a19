namespace Samskaping.Contracts.Cases;

/// <summary>Household roles of a member.</summary>
public static class MemberRoles
{
    public const string Guardian = "guardian";
    public const string Parent = "parent";
    public const string Child = "child";
    public const string Youth = "youth";
    public const string OtherAdult = "other-adult";

    public static IReadOnlyList<string> All { get; } = [Guardian, Parent, Child, Youth, OtherAdult];
}

/// <summary>A person became a member of the case's household. No name and no national identity number:
/// other services know people by <paramref name="PersonId"/> only. The birth date lets them derive age bands.</summary>
/// <param name="Role">One of <see cref="MemberRoles"/>.</param>
/// <param name="AlsoInOtherHousehold">True when the person is already a member of another household (separated parents).</param>
public sealed record HouseholdMemberAdded(
    Guid CaseId,
    Guid HouseholdId,
    Guid PersonId,
    string Role,
    DateOnly BirthDate,
    bool AlsoInOtherHousehold,
    string AddedBy,
    DateTimeOffset AddedAt) : ICaseMessage;
