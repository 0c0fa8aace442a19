namespace Samskaping.Benefits.Inbound;

/// <summary>
/// The national identity number check of the cases service (fødselsnummer, D-number day + 40, H-number month + 40,
/// synthetic test numbers month + 80; both mod-11 check digits; a birth date that exists in the century the
/// individual number gives), copied rather than referenced: benefits must not depend on the cases service's code.
/// </summary>
public static class IdentityNumberCheck
{
    private static readonly int[] FirstWeights = [3, 7, 6, 1, 8, 9, 4, 5, 2];
    private static readonly int[] SecondWeights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

    /// <summary>The 11 digits (spaces between groups allowed), or null and why it is not a valid number.</summary>
    /// <summary>The longest text accepted: 11 digits with a few spaces between groups (the document's maxLength).</summary>
    public const int MaxInputLength = 16;

    public static string? Normalise(string? value, out string? error)
    {
        if (value is { Length: > MaxInputLength })
        {
            error = $"Must be 11 digits (at most {MaxInputLength} characters with spaces).";
            return null;
        }
        var digits = value?.Replace(" ", "", StringComparison.Ordinal) ?? "";
        if (digits.Length != 11 || !digits.All(char.IsAsciiDigit))
        {
            error = "Must be 11 digits.";
            return null;
        }
        var d = digits.Select(c => c - '0').ToArray();
        if (CheckDigit(d, FirstWeights) != d[9] || CheckDigit(d, SecondWeights) != d[10])
        {
            error = "The check digits do not match.";
            return null;
        }
        var day = d[0] * 10 + d[1];
        var month = d[2] * 10 + d[3];
        day = day > 40 ? day - 40 : day;
        month = month > 80 ? month - 80 : month > 40 ? month - 40 : month;
        var year = Year(d[4] * 10 + d[5], d[6] * 100 + d[7] * 10 + d[8]);
        if (year is null || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year.Value, month))
        {
            error = "The date part is not a valid birth date.";
            return null;
        }
        error = null;
        return digits;
    }

    private static int CheckDigit(int[] digits, int[] weights)
    {
        var sum = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += digits[i] * weights[i];
        }
        var check = 11 - sum % 11;
        return check switch { 11 => 0, 10 => -1, _ => check };
    }

    private static int? Year(int yy, int individual) => individual switch
    {
        <= 499 => 1900 + yy,
        <= 749 when yy >= 54 => 1800 + yy,
        <= 999 when yy <= 39 && individual >= 500 => 2000 + yy,
        >= 900 when yy >= 40 => 1900 + yy,
        _ => null,
    };
}
