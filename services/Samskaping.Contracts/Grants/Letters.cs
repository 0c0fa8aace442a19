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
