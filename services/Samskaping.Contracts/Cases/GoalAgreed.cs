namespace Samskaping.Contracts.Cases;

/// <summary>A goal was agreed with the family. <paramref name="Text"/> is in the family's own words.</summary>
/// <param name="ProposedBy">"family", or the sector code of the worker who proposed it.</param>
public sealed record GoalAgreed(
    Guid CaseId,
    Guid GoalId,
    string Text,
    string ProposedBy,
    string AgreedBy,
    DateTimeOffset AgreedAt) : ICaseMessage;
