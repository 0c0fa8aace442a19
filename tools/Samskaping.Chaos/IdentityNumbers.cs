namespace Samskaping.Chaos;

/// <summary>
/// Synthetic Norwegian identity numbers (fødselsnummer) with valid check digits, drawn from the run's seeded
/// randomness: born 1975–1994, individual numbers 000–499 (born 1900–1999). The cases service refuses a number whose
/// check digits are wrong, and the benefits service needs one to create the applicant's Digisos case.
/// </summary>
internal static class IdentityNumbers
{
    private static readonly int[] First = [3, 7, 6, 1, 8, 9, 4, 5, 2];
    private static readonly int[] Second = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

    public static string Adult(Random random)
    {
        while (true)
        {
            var birth = new DateOnly(1975, 1, 1).AddDays(random.Next(0, 20 * 365));
            var nine = FormattableString.Invariant($"{birth.Day:00}{birth.Month:00}{birth.Year % 100:00}{random.Next(0, 500):000}");
            if (CheckDigits(nine) is { } checks)
            {
                return nine + checks;
            }
        }
    }

    /// <summary>The two check digits (mod 11) of the first nine digits, or null when either would be 10 (no such number).</summary>
    public static string? CheckDigits(string nine)
    {
        var digits = nine.Select(c => c - '0').ToList();
        var first = (11 - (digits.Select((d, i) => d * First[i]).Sum() % 11)) % 11;
        if (first == 10)
        {
            return null;
        }
        digits.Add(first);
        var second = (11 - (digits.Select((d, i) => d * Second[i]).Sum() % 11)) % 11;
        return second == 10 ? null : FormattableString.Invariant($"{first}{second}");
    }
}
