using System.Globalization;
using System.Text;
using Samskaping.Contracts.Grants;

namespace Samskaping.Grants.Letters;

/// <summary>The outcomes a letter can tell (<see cref="DecisionOutcomes"/>).</summary>
public static class LetterOutcomes
{
    public static IReadOnlyList<string> All { get; } =
        [DecisionOutcomes.Granted, DecisionOutcomes.PartlyGranted, DecisionOutcomes.Refused, DecisionOutcomes.Dismissed];
}

/// <summary>The written standards a letter can be in: bokmål by default, nynorsk when the household chose it.</summary>
public static class LetterLanguages
{
    public const string Bokmal = "nb";
    public const string Nynorsk = "nn";

    public static IReadOnlyList<string> All { get; } = [Bokmal, Nynorsk];
}

/// <summary>One payment the letter promises.</summary>
public sealed record LetterPayment(int Number, decimal Amount, DateOnly DueOn);

/// <summary>The letter this one replaces (a changed decision, or a correction).</summary>
public sealed record ReplacedLetter(Guid Id, DateOnly IssuedOn);

/// <summary>Everything a decision letter says, gathered before any wording is chosen.</summary>
/// <param name="DecidedBy">The names of who decided: one, or the requester and the second approver above the fund's threshold.</param>
/// <param name="ReceivedOn">The day the family is taken to have received the letter; the appeal deadline counts from it.</param>
public sealed record LetterFacts(
    Guid LetterId,
    Guid GrantId,
    string Outcome,
    string Language,
    string Municipality,
    string FundName,
    string Purpose,
    decimal RequestedAmount,
    decimal GrantedAmount,
    string PayeeName,
    IReadOnlyList<LetterPayment> Payments,
    string? Reasons,
    string LegalBasis,
    DateOnly IssuedOn,
    DateOnly ReceivedOn,
    DateOnly AppealDeadline,
    string AppealTo,
    IReadOnlyList<string> DecidedBy,
    ReplacedLetter? Replaces);

/// <summary>A letter's words, ready for any renderer: a title, heading lines, and sections of paragraphs.</summary>
public sealed record LetterContent(string Title, IReadOnlyList<string> Header, IReadOnlyList<LetterSection> Sections)
{
    /// <summary>The whole letter as plain text, stored beside the PDF (and searchable).</summary>
    public string PlainText()
    {
        var text = new StringBuilder().AppendLine(Title);
        foreach (var line in Header)
        {
            text.AppendLine(line);
        }
        foreach (var section in Sections)
        {
            text.AppendLine();
            if (section.Heading is not null)
            {
                text.AppendLine(section.Heading);
            }
            foreach (var paragraph in section.Paragraphs)
            {
                text.AppendLine(paragraph);
            }
        }
        return text.ToString();
    }
}

public sealed record LetterSection(string? Heading, IReadOnlyList<string> Paragraphs);

/// <summary>Numbers and dates as Norwegian readers write them (the same in bokmål and nynorsk).</summary>
public static class NorwegianFormat
{
    private static readonly string[] Months =
        ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"];

    // A no-break space between thousands keeps an amount on one line.
    private static readonly NumberFormatInfo Numbers = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = "\u00A0", NumberGroupSizes = [3] };

    /// <summary>"1 500,00 kroner".</summary>
    public static string Kroner(decimal amount) => amount.ToString("#,##0.00", Numbers) + "\u00A0kroner";

    /// <summary>"5. desember 2026".</summary>
    public static string Date(DateOnly day) => $"{day.Day}. {Months[day.Month - 1]} {day.Year}";
}
