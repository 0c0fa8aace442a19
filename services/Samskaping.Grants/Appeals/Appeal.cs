using System.ComponentModel.DataAnnotations;
using Samskaping.Contracts.Grants;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Appeals;

/// <summary>Where an appeal stands.</summary>
public static class AppealStatuses
{
    /// <summary>Waiting for the decision-maker: reverse the decision or forward the appeal.</summary>
    public const string Received = "received";

    /// <summary>The municipality changed its decision (a new decision and letter).</summary>
    public const string Reversed = "reversed";

    /// <summary>Sent to statsforvalteren; waiting for its outcome.</summary>
    public const string Forwarded = "forwarded";

    /// <summary>Statsforvalteren's outcome is recorded.</summary>
    public const string Decided = "decided";
}

public sealed record AppealView(
    Guid Id, Guid GrantId, Guid CaseId, Guid LetterId, DateOnly ReceivedOn, string Appellant, string Text, DateOnly Deadline, bool Late,
    string Status, string RegisteredBy, DateTimeOffset RegisteredAt, Guid? NewLetterId, string? ForwardNote, string? Outcome, DateOnly? OutcomeOn,
    string? OutcomeNote, string? DecidedBy, DateTimeOffset? DecidedAt);

/// <param name="ReceivedOn">The day the appeal reached the municipality (it is late after the letter's deadline).</param>
/// <param name="Appellant">In whose name the appeal is made (the parent, the young person, or a representative).</param>
/// <param name="Text">The appeal in the family's own words.</param>
public sealed record RegisterAppeal(
    DateOnly? ReceivedOn,
    [property: MaxLength(RegisterAppeal.MaxAppellantLength)] string? Appellant,
    [property: MaxLength(RegisterAppeal.MaxTextLength)] string? Text)
{
    public const int MaxAppellantLength = 200;
    public const int MaxTextLength = 4000;

    public (DateOnly ReceivedOn, string Appellant, string Text) Validate(ValidationErrors errors, DateOnly today)
    {
        if (ReceivedOn is null)
        {
            errors.Add("receivedOn", "Required: the day the appeal reached the municipality (yyyy-MM-dd).");
        }
        else if (ReceivedOn > today)
        {
            errors.Add("receivedOn", $"Not after today ({today:yyyy-MM-dd}).");
        }
        return (ReceivedOn ?? today, errors.Text("appellant", Appellant, MaxAppellantLength), errors.Text("text", Text, MaxTextLength));
    }
}

/// <param name="Amount">Leave out to grant everything asked for. On a refusal: less than asked for (one-off grants only). On
/// a partly granted decision: the new amount, at least 1 NOK more than granted and at most what was asked for.</param>
/// <param name="Reason">Why the decision is changed: the new letter's reasons.</param>
public sealed record ReverseDecision(
    [property: Amount(MinimumIsExclusive = true)] decimal? Amount,
    [property: MaxLength(ReverseDecision.MaxReasonLength)] string? Reason)
{
    public const int MaxReasonLength = 1000;
}

/// <param name="Note">What the municipality sends with the appeal (its assessment), for the case's record.</param>
public sealed record ForwardAppeal([property: MaxLength(ForwardAppeal.MaxNoteLength)] string? Note)
{
    public const int MaxNoteLength = 2000;
}

/// <param name="Outcome">upheld, changed, quashed (opphevet) or dismissed (avvist).</param>
/// <param name="DecidedOn">The date of statsforvalteren's decision.</param>
public sealed record RecordAppealOutcome(
    [property: AllowedValues(AppealDecisions.Upheld, AppealDecisions.Changed, AppealDecisions.Quashed, AppealDecisions.Dismissed)] string? Outcome,
    DateOnly? DecidedOn,
    [property: MaxLength(ForwardAppeal.MaxNoteLength)] string? Note)
{
    public static IReadOnlyList<string> Outcomes { get; } = [AppealDecisions.Upheld, AppealDecisions.Changed, AppealDecisions.Quashed, AppealDecisions.Dismissed];

    public (string Outcome, DateOnly DecidedOn, string? Note) Validate(ValidationErrors errors, DateOnly today)
    {
        if (Outcome is null || !Outcomes.Contains(Outcome))
        {
            errors.Add("outcome", $"One of: {string.Join(", ", Outcomes)}.");
        }
        if (DecidedOn is null)
        {
            errors.Add("decidedOn", "Required: the date of statsforvalteren's decision (yyyy-MM-dd).");
        }
        else if (DecidedOn > today)
        {
            errors.Add("decidedOn", $"Not after today ({today:yyyy-MM-dd}).");
        }
        return (Outcome ?? "", DecidedOn ?? today, errors.OptionalText("note", Note, ForwardAppeal.MaxNoteLength));
    }
}
