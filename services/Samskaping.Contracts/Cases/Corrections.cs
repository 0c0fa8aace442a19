namespace Samskaping.Contracts.Cases;

/// <summary>What one correction (retting) changed: one field of one record of a household.</summary>
public static class CorrectedFields
{
    public const string HouseholdName = "household-name";
    public const string MemberName = "member-name";
    public const string MemberBirthDate = "member-birth-date";
    public const string MemberRole = "member-role";
    public const string MemberGuardians = "member-guardians";
    public const string MemberIdentityNumber = "member-identity-number";
    public const string NeedText = "need-text";
    public const string ResourceText = "resource-text";
    public const string GoalText = "goal-text";

    public static IReadOnlyList<string> All { get; } =
        [HouseholdName, MemberName, MemberBirthDate, MemberRole, MemberGuardians, MemberIdentityNumber, NeedText, ResourceText, GoalText];
}

/// <summary>A member's record in one household was corrected (one field; <see cref="CorrectedFields"/>). No name and no
/// identity number: other services know people by <paramref name="PersonId"/> only. <paramref name="Role"/> and
/// <paramref name="BirthDate"/> are the member's as they are after the correction, so a service that keeps a copy
/// sets it to them; a later correction (by <paramref name="CorrectedAt"/>) wins over an earlier one.</summary>
/// <param name="HasIdentityNumber">Whether the member has an identity number after the correction.</param>
public sealed record HouseholdMemberCorrected(
    Guid CaseId,
    Guid HouseholdId,
    Guid PersonId,
    Guid CorrectionId,
    string Field,
    string Role,
    DateOnly BirthDate,
    bool HasIdentityNumber,
    string CorrectedBy,
    DateTimeOffset CorrectedAt) : ICaseMessage;

/// <summary>A goal's text was corrected. Carries the goal as agreed besides the corrected <paramref name="Text"/>, so a
/// service that has not heard <see cref="GoalAgreed"/> yet records the goal with the corrected text.</summary>
public sealed record GoalCorrected(
    Guid CaseId,
    Guid GoalId,
    Guid CorrectionId,
    string Text,
    string ProposedBy,
    string AgreedBy,
    DateTimeOffset AgreedAt,
    string CorrectedBy,
    DateTimeOffset CorrectedAt) : ICaseMessage;

/// <summary>The household's name, or the text of a need or a resource, was corrected (<paramref name="Field"/>). No
/// text: these stay in the cases service, and no other service keeps a copy of them.</summary>
/// <param name="SubjectId">The household, need or resource corrected.</param>
public sealed record CaseRecordCorrected(
    Guid CaseId,
    Guid SubjectId,
    Guid CorrectionId,
    string Field,
    string CorrectedBy,
    DateTimeOffset CorrectedAt) : ICaseMessage;
