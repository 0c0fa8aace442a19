namespace Samskaping.Grants.Requests;

/// <summary>Norwegian bank account numbers (kontonummer) and organisation numbers (organisasjonsnummer), mod-11 checked.</summary>
public static class NorwegianNumbers
{
    private static readonly int[] AccountWeights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    private static readonly int[] OrganisationWeights = [3, 2, 7, 6, 5, 4, 3, 2];

    /// <summary>11 digits; the last is the mod-11 check digit of the first ten (weights 5,4,3,2,7,6,5,4,3,2).</summary>
    public static bool IsAccountNumber(string? value) => HasValidCheckDigit(value, AccountWeights);

    /// <summary>9 digits; the last is the mod-11 check digit of the first eight (weights 3,2,7,6,5,4,3,2).</summary>
    public static bool IsOrganisationNumber(string? value) => HasValidCheckDigit(value, OrganisationWeights);

    /// <summary>"1234 56 78903" and "1234.56.78903" are how people write account numbers; we keep digits only.</summary>
    /// <summary>The longest account or organisation number text accepted, with spaces or dots between groups (the document's maxLength).</summary>
    public const int MaxTextLength = 20;

    public static string Normalise(string value) => value.Replace(" ", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal);

    /// <summary>The check digit for <paramref name="digits"/>, or null when none exists (remainder 1 gives 10).</summary>
    public static int? CheckDigit(ReadOnlySpan<char> digits, int[] weights)
    {
        var sum = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += (digits[i] - '0') * weights[i];
        }
        var check = 11 - (sum % 11);
        return check switch
        {
            11 => 0,
            10 => null,
            _ => check,
        };
    }

    public static int[] Weights(bool organisation) => organisation ? OrganisationWeights : AccountWeights;

    private static bool HasValidCheckDigit(string? value, int[] weights)
    {
        if (value is null || value.Length != weights.Length + 1 || !value.All(char.IsAsciiDigit))
        {
            return false;
        }
        return CheckDigit(value, weights) == value[^1] - '0';
    }
}
