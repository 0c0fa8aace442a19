using System.Globalization;
using System.Text.RegularExpressions;

namespace Samskaping.Workspace.Api;

/// <summary>
/// The API's field messages in plain bokmål, beside the field they name. The API speaks English to programs; a person
/// at the municipality reads what to do.
/// </summary>
public static partial class FieldMessages
{
    public static IReadOnlyDictionary<string, string> From(ApiProblem? problem)
    {
        var messages = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (field, texts) in problem?.Errors ?? [])
        {
            messages[field] = string.Join(" ", texts.Select(InBokmal).Distinct());
        }
        return messages;
    }

    public static string InBokmal(string message)
    {
        if (message is "Required, and must not be empty." or "Required.")
        {
            return "Fyll ut dette feltet.";
        }
        if (AtMost().Match(message) is { Success: true } m)
        {
            return $"Skriv høyst {int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)} tegn.";
        }
        if (message.Contains("wrong type or format", StringComparison.Ordinal))
        {
            return "Verdien har feil form. Sjekk hva du skrev.";
        }
        return "Dette ble ikke godtatt. Sjekk feltet og prøv igjen.";
    }

    [GeneratedRegex(@"^At most (\d+) characters\.$")]
    private static partial Regex AtMost();
}
