using Samskaping.ServiceDefaults;

namespace Samskaping.IntegrationTests.Benefits.Lookup;

/// <summary>
/// Fresh synthetic national identity numbers (month + 80: Skatteetaten's test numbers, nobody's real number) with valid
/// mod-11 check digits, so each test has people of its own in the cases service and the simulator.
/// </summary>
public static class SyntheticIdentityNumbers
{
    /// <summary>An adult born in the 1970s–90s (individual numbers 000–499 give the 1900s).</summary>
    public static string Adult() => Next(1970 + Random.Shared.Next(25), 0, 499);

    /// <summary>A child born in 2012–2019 (individual numbers 500–999 with year 00–39 give the 2000s).</summary>
    public static string Child() => Next(2012 + Random.Shared.Next(8), 500, 999);

    private static string Next(int year, int lowIndividual, int highIndividual)
    {
        while (true)
        {
            var month = 1 + Random.Shared.Next(12);
            var day = 1 + Random.Shared.Next(28);
            var individual = Random.Shared.Next(lowIndividual, highIndividual + 1);
            if (IdentityNumber.WithCheckDigits($"{day:00}{month + 80:00}{year % 100:00}{individual:000}") is { } number)
            {
                return number;
            }
        }
    }
}
