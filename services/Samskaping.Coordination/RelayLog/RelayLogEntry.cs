using System.ComponentModel.DataAnnotations;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.RelayLog;

/// <summary>An entry of the relay log (stafettlogg). Never changed: a correction is a new entry that <c>Corrects</c> the old one.</summary>
public sealed record RelayLogEntry(
    Guid Id,
    Guid CaseId,
    string Type,
    string Author,
    string? AuthorSector,
    DateTimeOffset At,
    string Confidentiality,
    string Text,
    Guid? Corrects);

/// <summary>POST .../relay-log.</summary>
public sealed record WriteRelayLogEntry(
    [property: AllowedValues("meeting", "decision", "measure-started", "measure-ended", "evaluation", "handover", "note")] string? Type,
    [property: AllowedValues(RelayLogRules.Confidentiality.Ordinary, RelayLogRules.Confidentiality.ProfessionalSecrecy, RelayLogRules.Confidentiality.Restricted)] string? Confidentiality,
    [property: MaxLength(RelayLogRules.MaxTextLength)] string? Text,
    Guid? Corrects);

public static class RelayLogRules
{
    public const int MaxTextLength = 4000;

    public static IReadOnlyList<string> Types { get; } = ["meeting", "decision", "measure-started", "measure-ended", "evaluation", "handover", "note"];

    public static class Confidentiality
    {
        public const string Ordinary = "ordinary";

        /// <summary>taushetsplikt: the author's sector and the lead coordinator only.</summary>
        public const string ProfessionalSecrecy = "professional-secrecy";

        /// <summary>The author and the lead coordinator only.</summary>
        public const string Restricted = "restricted";

        public static IReadOnlyList<string> All { get; } = [Ordinary, ProfessionalSecrecy, Restricted];
    }

    public static (WriteRelayLogEntry? Entry, ValidationErrors Errors) Validate(WriteRelayLogEntry request)
    {
        var errors = new ValidationErrors();
        if (request.Type is null || !Types.Contains(request.Type))
        {
            errors.Add("type", $"One of: {string.Join(", ", Types)}.");
        }
        var confidentiality = request.Confidentiality ?? Confidentiality.Ordinary;
        if (!Confidentiality.All.Contains(confidentiality))
        {
            errors.Add("confidentiality", $"One of: {string.Join(", ", Confidentiality.All)} (default ordinary).");
        }
        var text = errors.Text("text", request.Text, MaxTextLength);
        if (request.Corrects == Guid.Empty)
        {
            errors.Add("corrects", "The id of the entry this one corrects, or left out.");
        }
        return errors.IsValid ? (request with { Confidentiality = confidentiality, Text = text }, errors) : (null, errors);
    }

    /// <summary>The same visibility rule as <see cref="RelayLogStore"/>'s SQL, for one entry.</summary>
    public static bool IsVisibleTo(RelayLogEntry entry, string subject, string sector, bool isLead) => entry.Confidentiality switch
    {
        Confidentiality.Ordinary => true,
        Confidentiality.ProfessionalSecrecy => isLead || entry.AuthorSector == sector,
        Confidentiality.Restricted => isLead || entry.Author == subject,
        _ => false,
    };
}
