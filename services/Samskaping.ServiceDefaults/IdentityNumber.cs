namespace Samskaping.ServiceDefaults;

/// <summary>
/// A Norwegian national identity number (fødselsnummer), D-number (day + 40) or H-number (month + 40; synthetic
/// test numbers use month + 80), validated with both mod-11 check digits and a birth date that exists in the
/// century the individual number gives. Never logged, never in a URL or an event: <see cref="ToString"/> masks it.
/// The one check of every service that takes such a number (cases from workers, benefits from the benefit system).
/// </summary>
public sealed class IdentityNumber
{
    private static readonly int[] FirstWeights = [3, 7, 6, 1, 8, 9, 4, 5, 2];
    private static readonly int[] SecondWeights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

    private IdentityNumber(string digits, DateOnly birthDate, IdentityNumberKind kind)
    {
        Digits = digits;
        BirthDate = birthDate;
        Kind = kind;
    }

    /// <summary>The 11 digits. Only for encryption and the keyed lookup hash.</summary>
    public string Digits { get; }

    public DateOnly BirthDate { get; }

    public IdentityNumberKind Kind { get; }

    /// <summary>What may be shown: the first six digits (the date part) and the rest masked.</summary>
    public string Masked => Digits[..6] + "*****";

    public override string ToString() => Masked;

    /// <summary>The longest text accepted: 11 digits with a few spaces between groups (the document's maxLength).</summary>
    public const int MaxInputLength = 16;

    /// <summary>Parses 11 digits (spaces allowed between groups). Returns null and why, when it is not valid.</summary>
    public static IdentityNumber? Parse(string? value, out string? error)
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
            error = "The check digits do not match; check the number for a typing error.";
            return null;
        }

        var day = d[0] * 10 + d[1];
        var month = d[2] * 10 + d[3];
        var kind = IdentityNumberKind.BirthNumber;
        if (day > 40)
        {
            day -= 40;
            kind = IdentityNumberKind.DNumber;
        }
        if (month > 80)
        {
            month -= 80;
            kind = IdentityNumberKind.Synthetic;
        }
        else if (month > 40)
        {
            month -= 40;
            kind = IdentityNumberKind.HNumber;
        }
        var year = Year(d[4] * 10 + d[5], d[6] * 100 + d[7] * 10 + d[8]);
        if (year is null || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year.Value, month))
        {
            error = "The date part is not a valid birth date.";
            return null;
        }
        error = null;
        return new IdentityNumber(digits, new DateOnly(year.Value, month, day), kind);
    }

    /// <summary>The mod-11 check digit over the digits before it; -1 when the rest is 1 (no valid digit exists).</summary>
    public static int CheckDigit(IReadOnlyList<int> digits, IReadOnlyList<int> weights)
    {
        var sum = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            sum += digits[i] * weights[i];
        }
        var check = 11 - sum % 11;
        return check switch { 11 => 0, 10 => -1, _ => check };
    }

    /// <summary>
    /// Nine digits completed with their two check digits, or null when no valid check digit exists: how the fault
    /// suite and the tests make synthetic numbers that pass <see cref="Parse"/>.
    /// </summary>
    public static string? WithCheckDigits(string nine)
    {
        var digits = nine.Select(c => c - '0').ToList();
        var first = CheckDigit(digits, FirstWeights);
        if (first < 0)
        {
            return null;
        }
        digits.Add(first);
        var second = CheckDigit(digits, SecondWeights);
        return second < 0 ? null : string.Concat(digits.Append(second));
    }

    public static IReadOnlyList<int> FirstCheckWeights => FirstWeights;

    public static IReadOnlyList<int> SecondCheckWeights => SecondWeights;

    /// <summary>The century from the individual number (individnummer), as Skatteetaten assigns them.</summary>
    private static int? Year(int yy, int individual) => individual switch
    {
        <= 499 => 1900 + yy,
        <= 749 when yy >= 54 => 1800 + yy,
        <= 999 when yy <= 39 && individual >= 500 => 2000 + yy,
        >= 900 when yy >= 40 => 1900 + yy,
        _ => null,
    };
}

public enum IdentityNumberKind { BirthNumber, DNumber, HNumber, Synthetic }
