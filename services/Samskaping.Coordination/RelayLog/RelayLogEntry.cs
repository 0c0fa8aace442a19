using System.ComponentModel.DataAnnotations;
using Samskaping.Contracts.Cases;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.RelayLog;

/// <summary>An entry of the relay log (stafettlogg). Never changed: a correction is a new entry that <c>Corrects</c> the old one.</summary>
/// <param name="Text">Null exactly when <paramref name="Withheld"/> is set.</param>
/// <param name="Category">The kind of a person's data the entry holds (a <see cref="DataCategories"/> code), or null.</param>
/// <param name="Withheld">The entry's category when its text is left out of this answer because no consent covering the
/// caller's sector for coordination names it; null when the text is there.</param>
public sealed record RelayLogEntry(
    Guid Id,
    Guid CaseId,
    string Type,
    string Author,
    string? AuthorSector,
    DateTimeOffset At,
    string Confidentiality,
    string? Text,
    Guid? Corrects,
    string? Category = null,
    string? Withheld = null);

/// <summary>POST .../relay-log.</summary>
public sealed record WriteRelayLogEntry(
    [property: AllowedValues("meeting", "decision", "measure-started", "measure-ended", "evaluation", "handover", "note")] string? Type,
    [property: AllowedValues(RelayLogRules.Confidentiality.Ordinary, RelayLogRules.Confidentiality.ProfessionalSecrecy, RelayLogRules.Confidentiality.Restricted)] string? Confidentiality,
    [property: MaxLength(RelayLogRules.MaxTextLength)] string? Text,
    Guid? Corrects,
    [property: AllowedValues(DataCategories.Contact, DataCategories.Needs, DataCategories.Health, DataCategories.School, DataCategories.Economy, DataCategories.Family)] string? Category = null);

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
        if (request.Category is not null && !DataCategories.All.Contains(request.Category))
        {
            errors.Add("category", $"One of: {string.Join(", ", DataCategories.All)}, or left out when the entry holds none of them.");
        }
        return errors.IsValid ? (request with { Confidentiality = confidentiality, Text = text }, errors) : (null, errors);
    }

    /// <summary>
    /// <paramref name="entry"/> as <paramref name="reader"/> is shown it, given the data categories the reader's consents
    /// do not name (<see cref="Samskaping.Access.CaseAccess.Withheld"/>): with its category among them, the text is left out
    /// and <see cref="RelayLogEntry.Withheld"/> says why, while date, type, author, sector and confidentiality stay, so the
    /// reader knows the entry exists and whom to ask. The author is always shown their own text: it holds nothing the author
    /// did not know, which is also why writing an entry of a category one's consents do not name is allowed.
    /// </summary>
    public static RelayLogEntry Consented(RelayLogEntry entry, string reader, IReadOnlyList<string> withheld) =>
        entry.Category is { } category && entry.Author != reader && withheld.Contains(category)
            ? entry with { Text = null, Withheld = category }
            : entry;

    /// <summary>The same visibility rule as <see cref="RelayLogStore"/>'s SQL, for one entry.</summary>
    public static bool IsVisibleTo(RelayLogEntry entry, string subject, string sector, bool isLead) => entry.Confidentiality switch
    {
        Confidentiality.Ordinary => true,
        Confidentiality.ProfessionalSecrecy => isLead || entry.AuthorSector == sector,
        Confidentiality.Restricted => isLead || entry.Author == subject,
        _ => false,
    };
}
