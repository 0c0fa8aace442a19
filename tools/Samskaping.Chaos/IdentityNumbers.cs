using Samskaping.ServiceDefaults;

namespace Samskaping.Chaos;

/// <summary>
/// Synthetic Norwegian identity numbers (fødselsnummer) with valid check digits, drawn from the run's seeded
/// randomness: born 1975–1994, individual numbers 000–499 (born 1900–1999). The cases service refuses a number whose
/// check digits are wrong, and the benefits service needs one to create the applicant's Digisos case.
/// </summary>
internal static class IdentityNumbers
{
    public static string Adult(Random random)
    {
        while (true)
        {
            var birth = new DateOnly(1975, 1, 1).AddDays(random.Next(0, 20 * 365));
            var nine = FormattableString.Invariant($"{birth.Day:00}{birth.Month:00}{birth.Year % 100:00}{random.Next(0, 500):000}");
            if (IdentityNumber.WithCheckDigits(nine) is { } number)
            {
                return number;
            }
        }
    }
}
