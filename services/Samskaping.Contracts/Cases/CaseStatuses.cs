namespace Samskaping.Contracts.Cases;

/// <summary>The lifecycle of a case as other services see it: referred → intake → active → closing → closed (and reopen).</summary>
public static class CaseStatuses
{
    public const string Referred = "referred";
    public const string Intake = "intake";
    public const string Active = "active";
    public const string Closing = "closing";
    public const string Closed = "closed";

    public static IReadOnlyList<string> All { get; } = [Referred, Intake, Active, Closing, Closed];
}
