using Samskaping.Cases.Consents;
using Samskaping.Cases.Households;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Cases;

public sealed class ConsentRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 27);
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 30, 0, TimeSpan.Zero);
    private static readonly Guid Sara = Guid.NewGuid();
    private static readonly Guid Mother = Guid.NewGuid();

    [Fact]
    public void A_person_of_15_consents_for_themselves_from_their_birthday()
    {
        var fifteenToday = Today.AddYears(-15);

        ConsentRules.WhoMayGive(Sara, fifteenToday, Sara, givenByIsGuardian: false, Today).ShouldBeNull();
        ConsentRules.WhoMayGive(Sara, fifteenToday, Mother, givenByIsGuardian: true, Today).ShouldBe("A person of 15 or older consents for themselves.");
    }

    [Fact]
    public void The_day_before_turning_15_a_guardian_consents()
    {
        var fifteenTomorrow = Today.AddYears(-15).AddDays(1);

        ConsentRules.WhoMayGive(Sara, fifteenTomorrow, Mother, givenByIsGuardian: true, Today).ShouldBeNull();
        ConsentRules.WhoMayGive(Sara, fifteenTomorrow, Sara, givenByIsGuardian: false, Today).ShouldNotBeNull();
    }

    [Fact]
    public void Under_15_someone_who_is_not_a_guardian_cannot_consent()
    {
        ConsentRules.WhoMayGive(Sara, Today.AddYears(-9), Mother, givenByIsGuardian: false, Today)
            .ShouldBe("For a child under 15 a guardian of the child in the household gives the consent.");
    }

    [Fact]
    public void An_adult_consents_for_themselves_and_nobody_else_for_them()
    {
        ConsentRules.WhoMayGive(Mother, Today.AddYears(-40), Mother, givenByIsGuardian: false, Today).ShouldBeNull();
        ConsentRules.WhoMayGive(Mother, Today.AddYears(-40), Sara, givenByIsGuardian: false, Today).ShouldNotBeNull();
    }

    [Theory]
    [InlineData("2011-11-28", 14)]
    [InlineData("2011-11-27", 15)]
    [InlineData("2008-02-29", 18)]
    [InlineData("2026-11-27", 0)]
    public void Age_is_in_whole_years(string birth, int age) => Member.Age(DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture), Today).ShouldBe(age);

    [Fact]
    public void A_valid_scope_is_sorted_and_starts_now_by_default()
    {
        var (scope, errors) = ConsentRules.Validate(Request() with { Sectors = ["nav", "oppvekst", "nav"] }, Now);

        errors.IsValid.ShouldBeTrue();
        scope!.Sectors.ShouldBe(["nav", "oppvekst"]);
        scope.ValidFrom.ShouldBe(Now);
        scope.ValidTo.ShouldBeNull();
    }

    [Fact]
    public void Unknown_sectors_purposes_and_categories_are_named()
    {
        var (scope, errors) = ConsentRules.Validate(Request() with { Sectors = ["politi"], Purposes = ["marketing"], DataCategories = ["dna"] }, Now);

        scope.ShouldBeNull();
        errors.ToDictionary().Keys.Order().ShouldBe(["dataCategories", "purposes", "sectors"]);
    }

    [Fact]
    public void An_empty_scope_and_missing_people_are_named()
    {
        var (_, errors) = ConsentRules.Validate(new GiveConsent(null, null, [], null, [], null, null), Now);

        errors.ToDictionary().Keys.Order().ShouldBe(["dataCategories", "givenByPersonId", "personId", "purposes", "sectors"]);
    }

    [Fact]
    public void A_consent_cannot_be_backdated_and_must_end_after_it_starts()
    {
        ConsentRules.Validate(Request() with { ValidFrom = Now.AddDays(-1) }, Now).Errors.ToDictionary().Keys.ShouldBe(["validFrom"]);
        ConsentRules.Validate(Request() with { ValidTo = Now }, Now).Errors.ToDictionary().Keys.ShouldBe(["validTo"]);
        ConsentRules.Validate(Request() with { ValidFrom = Now.AddDays(2), ValidTo = Now.AddDays(1) }, Now).Errors.ToDictionary().Keys.ShouldBe(["validTo"]);
    }

    [Fact]
    public void A_start_a_moment_ago_counts_as_now()
    {
        var (scope, _) = ConsentRules.Validate(Request() with { ValidFrom = Now.AddSeconds(-20) }, Now);

        scope!.ValidFrom.ShouldBe(Now);
    }

    [Theory]
    [InlineData("2026-11-27T09:30:00Z", null, null, "valid")]
    [InlineData("2026-11-28T00:00:00Z", null, null, "pending")]
    [InlineData("2026-01-01T00:00:00Z", "2026-11-27T09:30:00Z", null, "expired")]
    [InlineData("2026-01-01T00:00:00Z", null, "2026-11-27T09:00:00Z", "withdrawn")]
    [InlineData("2026-01-01T00:00:00Z", null, "2026-11-27T10:00:00Z", "valid")]
    public void A_consents_state_follows_its_dates(string from, string? to, string? withdrawn, string state) =>
        ConsentStore.State(At(from), to is null ? null : At(to), withdrawn is null ? null : At(withdrawn), Now).ShouldBe(state);

    private static DateTimeOffset At(string value) => DateTimeOffset.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

    private static GiveConsent Request() => new(Sara, Sara, ["oppvekst"], ["coordination"], ["needs"], null, null);
}
