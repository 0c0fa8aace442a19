using Microsoft.Extensions.Time.Testing;
using Samskaping.Cases.Cases;
using Samskaping.ServiceDefaults;
using Shouldly;
using Case = Samskaping.Cases.Cases.Case;
using Xunit;

namespace Samskaping.UnitTests;

public sealed class CaseTests
{
    private static readonly CurrentUser Kari = new("kari", "Kari Nordmann", "caseworker", "oppvekst");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.Zero));

    [Fact]
    public void Opening_records_the_need_in_the_familys_words_first()
    {
        var (opened, errors) = Case.Open(new OpenCase("  Familien Berg ", new NeedInput(" Vi trenger ro hjemme. ", "Far")), Kari, _clock);

        errors.IsValid.ShouldBeTrue();
        opened!.HouseholdName.ShouldBe("Familien Berg");
        opened.Status.ShouldBe(CaseStatus.Referred);
        opened.OpenedBy.ShouldBe("kari");
        opened.OpenedBySector.ShouldBe("oppvekst");
        opened.OpenedAt.ShouldBe(_clock.GetUtcNow());
        var need = opened.Needs.ShouldHaveSingleItem();
        need.Text.ShouldBe("Vi trenger ro hjemme.");
        need.SaidBy.ShouldBe("Far");
        need.RecordedAt.ShouldBe(_clock.GetUtcNow());
    }

    [Fact]
    public void Ids_are_time_ordered()
    {
        var (first, _) = Case.Open(new OpenCase("A", new NeedInput("x", null)), Kari, _clock);
        _clock.Advance(TimeSpan.FromMilliseconds(5));
        var (second, _) = Case.Open(new OpenCase("B", new NeedInput("y", null)), Kari, _clock);

        first!.Id.Version.ShouldBe(7);
        string.CompareOrdinal(first.Id.ToString(), second!.Id.ToString()).ShouldBeLessThan(0);
    }

    [Theory]
    [InlineData(null, "text", "householdName")]
    [InlineData("", "text", "householdName")]
    [InlineData("Familien Berg", null, "need.text")]
    [InlineData("Familien Berg", "   ", "need.text")]
    public void A_case_without_a_household_or_a_need_is_not_opened(string? household, string? need, string field)
    {
        var (opened, errors) = Case.Open(new OpenCase(household, new NeedInput(need, null)), Kari, _clock);

        opened.ShouldBeNull();
        errors.ToDictionary().Keys.ShouldContain(field);
    }

    [Fact]
    public void A_missing_need_is_named()
    {
        var (_, errors) = Case.Open(new OpenCase("Familien Berg", null), Kari, _clock);

        errors.ToDictionary().Keys.ShouldBe(["need"]);
    }

    [Fact]
    public void Over_long_texts_are_named()
    {
        var (_, errors) = Case.Open(
            new OpenCase(new string('a', Case.MaxHouseholdNameLength + 1), new NeedInput(new string('b', Case.MaxNeedLength + 1), new string('c', Case.MaxSaidByLength + 1))),
            Kari, _clock);

        errors.ToDictionary().Keys.Order().ShouldBe(["householdName", "need.saidBy", "need.text"]);
    }
}
