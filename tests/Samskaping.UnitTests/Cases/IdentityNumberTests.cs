using CsCheck;
using Samskaping.ServiceDefaults;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Cases;

public sealed class IdentityNumberTests
{
    /// <summary>A birth date with an individual number from the range that gives its century.</summary>
    private static readonly Gen<(DateOnly BirthDate, int Individual)> Births = Gen.OneOf(
        Birth(1900, 1999, 0, 499),
        Birth(1940, 1999, 900, 999),
        Birth(2000, 2039, 500, 999),
        Birth(1854, 1899, 500, 749));

    /// <summary>Valid numbers of every kind, with correct check digits (those whose check digit would be 10 do not exist).</summary>
    internal static readonly Gen<(string Number, DateOnly BirthDate, IdentityNumberKind Kind)> ValidNumbers =
        Gen.Select(Births, Gen.Enum<IdentityNumberKind>())
            .Select(b => (Number: Compose(b.Item1.BirthDate, b.Item1.Individual, b.Item2), b.Item1.BirthDate, Kind: b.Item2))
            .Where(n => n.Number is not null)
            .Select(n => (n.Number!, n.BirthDate, n.Kind));

    [Fact]
    public void Every_valid_number_passes_with_its_birth_date_and_kind() =>
        ValidNumbers.Sample(n =>
        {
            var parsed = IdentityNumber.Parse(n.Number, out var error);
            parsed.ShouldNotBeNull(error);
            parsed.BirthDate.ShouldBe(n.BirthDate);
            parsed.Kind.ShouldBe(n.Kind);
        }, iter: 5000);

    [Fact]
    public void Any_single_digit_change_fails() =>
        Gen.Select(ValidNumbers, Gen.Int[0, 10], Gen.Int[1, 9]).Sample((n, position, delta) =>
        {
            var digits = n.Number.ToCharArray();
            digits[position] = (char)('0' + (digits[position] - '0' + delta) % 10);
            IdentityNumber.Parse(new string(digits), out _).ShouldBeNull();
        }, iter: 5000);

    [Theory]
    [InlineData("", "Must be 11 digits.")]
    [InlineData("1234567890", "Must be 11 digits.")]
    [InlineData("123456789012", "Must be 11 digits.")]
    [InlineData("1234567890a", "Must be 11 digits.")]
    [InlineData("١٢٣٤٥٦٧٨٩٠١", "Must be 11 digits.")]
    public void Anything_but_eleven_ascii_digits_fails(string value, string error)
    {
        IdentityNumber.Parse(value, out var why).ShouldBeNull();
        why.ShouldBe(error);
    }

    [Fact]
    public void A_date_that_does_not_exist_fails_even_with_correct_check_digits()
    {
        // 31 February 1990, individual number 123: check digits made to fit.
        var number = WithCheckDigits("310290123");

        number.ShouldNotBeNull();
        IdentityNumber.Parse(number, out var why).ShouldBeNull();
        why.ShouldBe("The date part is not a valid birth date.");
    }

    [Fact]
    public void An_individual_number_outside_the_centurys_ranges_fails()
    {
        // 750–899 with a year from 40 gives no century.
        var number = Enumerable.Range(750, 150).Select(i => WithCheckDigits($"0101{45:00}{i:000}")).First(n => n is not null);

        IdentityNumber.Parse(number, out var why).ShouldBeNull();
        why.ShouldBe("The date part is not a valid birth date.");
    }

    [Fact]
    public void The_century_comes_from_the_individual_number()
    {
        Parse(1, 1, 10, 100).ShouldBe(new DateOnly(1910, 1, 1));
        Parse(1, 1, 10, 600).ShouldBe(new DateOnly(2010, 1, 1));
        Parse(1, 1, 60, 600).ShouldBe(new DateOnly(1860, 1, 1));
        Parse(1, 1, 60, 950).ShouldBe(new DateOnly(1960, 1, 1));

        static DateOnly? Parse(int day, int month, int yy, int individualFrom) =>
            Enumerable.Range(individualFrom, 40).Select(i => WithCheckDigits($"{day:00}{month:00}{yy:00}{i:000}"))
                .Where(n => n is not null).Select(n => IdentityNumber.Parse(n, out _)?.BirthDate).First();
    }

    [Fact]
    public void The_number_is_masked_when_written_out()
    {
        var (number, _, _) = ValidNumbers.Single();
        var parsed = IdentityNumber.Parse(number, out _)!;

        parsed.ToString().ShouldBe(number[..6] + "*****");
        $"{parsed}".ShouldNotContain(number[6..]);
    }

    private static Gen<(DateOnly, int)> Birth(int fromYear, int toYear, int fromIndividual, int toIndividual) =>
        Gen.Select(Gen.Int[0, new DateOnly(toYear, 12, 31).DayNumber - new DateOnly(fromYear, 1, 1).DayNumber], Gen.Int[fromIndividual, toIndividual])
            .Select((days, individual) => (DateOnly.FromDayNumber(new DateOnly(fromYear, 1, 1).DayNumber + days), individual));

    private static string? Compose(DateOnly birth, int individual, IdentityNumberKind kind)
    {
        var day = birth.Day + (kind == IdentityNumberKind.DNumber ? 40 : 0);
        var month = birth.Month + kind switch { IdentityNumberKind.HNumber => 40, IdentityNumberKind.Synthetic => 80, _ => 0 };
        return WithCheckDigits($"{day:00}{month:00}{birth.Year % 100:00}{individual:000}");
    }

    /// <summary>Nine digits plus their two check digits (Skatteetaten's weights, written out here independently of the
    /// code under test), or null when no valid check digit exists.</summary>
    internal static string? WithCheckDigits(string nine)
    {
        int[] k1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
        int[] k2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
        var digits = nine.Select(c => c - '0').ToList();
        var first = 11 - digits.Select((d, i) => d * k1[i]).Sum() % 11;
        first = first == 11 ? 0 : first;
        digits.Add(first);
        var second = 11 - digits.Select((d, i) => d * k2[i]).Sum() % 11;
        second = second == 11 ? 0 : second;
        return first == 10 || second == 10 ? null : nine + first + second;
    }
}
