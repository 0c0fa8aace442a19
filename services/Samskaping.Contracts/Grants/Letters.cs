namespace Samskaping.Contracts.Grants;

/// <summary>The outcome of a decision on a grant (utfall), as its letter and NAV's feed name it.</summary>
public static class DecisionOutcomes
{
    public const string Granted = "innvilget";
    public const string PartlyGranted = "delvis-innvilget";
    public const string Refused = "avslatt";
    public const string Dismissed = "avvist";
}

/// <summary>
/// A decision letter (vedtaksbrev) was issued for a grant: the PDF/A the family receives, kept unchanged. A changed
/// decision or a correction is a new letter that names the one it replaces.
/// </summary>
/// <param name="Outcome">One of <see cref="DecisionOutcomes"/>.</param>
/// <param name="Sha256">The PDF's SHA-256, lower-case hex.</param>
/// <param name="AppealDeadline">The last day an appeal is in time (three weeks from receipt, moved to a working day).</param>
public sealed record DecisionLetterIssued(
    Guid CaseId,
    Guid GrantId,
    Guid LetterId,
    string Outcome,
    decimal Amount,
    string Language,
    string Sha256,
    DateOnly AppealDeadline,
    Guid? ReplacesLetterId,
    string IssuedBy,
    DateTimeOffset IssuedAt) : ICaseMessage;

/// <summary>An appeal (klage) on a decision was registered.</summary>
/// <param name="Late">It arrived after the letter's appeal deadline (it may still be considered, fvl § 31).</param>
public sealed record AppealReceived(
    Guid CaseId,
    Guid GrantId,
    Guid AppealId,
    Guid LetterId,
    DateOnly ReceivedOn,
    DateOnly Deadline,
    bool Late,
    string RegisteredBy,
    DateTimeOffset RegisteredAt) : ICaseMessage;

/// <summary>What became of an appeal.</summary>
public static class AppealDecisions
{
    /// <summary>The municipality changed its decision (fvl § 33 second paragraph): a new decision and letter.</summary>
    public const string Reversed = "reversed";

    /// <summary>The municipality kept its decision and sent the appeal to statsforvalteren.</summary>
    public const string Forwarded = "forwarded";

    /// <summary>Statsforvalteren kept the decision.</summary>
    public const string Upheld = "upheld";

    /// <summary>Statsforvalteren changed the decision.</summary>
    public const string Changed = "changed";

    /// <summary>Statsforvalteren set the decision aside (opphevet) for the municipality to decide again.</summary>
    public const string Quashed = "quashed";

    /// <summary>The appeal was not considered (avvist), for example when it came too late without good reason.</summary>
    public const string Dismissed = "dismissed";
}

/// <summary>An appeal was decided, by the municipality or (after forwarding) by statsforvalteren.</summary>
/// <param name="Decision">One of <see cref="AppealDecisions"/>.</param>
/// <param name="NewLetterId">The letter of the new decision, when the municipality reversed it.</param>
public sealed record AppealDecided(
    Guid CaseId,
    Guid GrantId,
    Guid AppealId,
    string Decision,
    Guid? NewLetterId,
    string DecidedBy,
    DateTimeOffset DecidedAt) : ICaseMessage;
