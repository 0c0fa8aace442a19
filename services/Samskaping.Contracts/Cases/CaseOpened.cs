namespace Samskaping.Contracts.Cases;

/// <summary>A family's case (sak) was opened. Carries no family member's name or identity number.</summary>
/// <param name="OpenedBy">Subject id of the worker who opened it; they become the first lead coordinator.</param>
/// <param name="OpenedBySector">Sector code of the opener; it participates from the start.</param>
/// <param name="HouseholdId">The household the case is about (null in messages published before households were recorded).</param>
/// <param name="ReferralSource">A sector code, or "self" for a self-referral (null in older messages).</param>
/// <param name="OpenedByName">The opener's display name from their token's <c>name</c> claim, so coordination can tell the family
/// who their lead coordinator is (null in older messages, or when the token had none).</param>
/// <param name="OpenedByEmail">The opener's work e-mail address from their token's <c>email</c> claim, so the family can reach
/// their lead coordinator (null in older messages, or when the token had none).</param>
public sealed record CaseOpened(
    Guid CaseId,
    string OpenedBy,
    string OpenedBySector,
    DateTimeOffset OpenedAt,
    Guid? HouseholdId = null,
    string? ReferralSource = null,
    string? OpenedByName = null,
    string? OpenedByEmail = null) : ICaseMessage;
