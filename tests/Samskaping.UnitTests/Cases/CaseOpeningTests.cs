using Microsoft.Extensions.Time.Testing;
using Samskaping.Cases.Cases;
using Samskaping.ServiceDefaults;
using Shouldly;
using Xunit;
using Case = Samskaping.Cases.Cases.Case;

namespace Samskaping.UnitTests.Cases;

public sealed class CaseOpeningTests
{
    private static readonly CurrentUser Kari = new("kari", "Kari Nordmann", "caseworker", "oppvekst");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.Zero));
    private static readonly NeedInput Need = new("Vi trenger ro hjemme.", "Far");

    [Theory]
    [InlineData("self")]
    [InlineData("helse-velferd")]
    [InlineData("nav")]
    public void A_referral_comes_from_a_sector_or_the_family_itself(string source)
    {
        var (opened, errors) = Case.Open(new OpenCase("Familien Berg", Need, Referral: new ReferralInput(source, " Bekymring fra skolen. ")), Kari, _clock);

        errors.IsValid.ShouldBeTrue();
        opened!.ReferralSource.ShouldBe(source);
        opened.ReferralReason.ShouldBe("Bekymring fra skolen.");
        opened.ExistingHousehold.ShouldBeFalse();
        opened.HouseholdId.Version.ShouldBe(7);
    }

    [Theory]
    [InlineData("politiet")]
    [InlineData("Self")]
    [InlineData("")]
    public void An_unknown_referral_source_is_named(string source)
    {
        var (_, errors) = Case.Open(new OpenCase("Familien Berg", Need, Referral: new ReferralInput(source, "Bekymring.")), Kari, _clock);

        errors.ToDictionary().Keys.ShouldBe(["referral.source"]);
    }

    [Fact]
    public void A_referral_reason_longer_than_allowed_is_named()
    {
        var (_, errors) = Case.Open(new OpenCase("Familien Berg", Need, Referral: new ReferralInput("self", new string('x', Case.MaxReasonLength + 1))), Kari, _clock);

        errors.ToDictionary().Keys.ShouldBe(["referral.reason"]);
    }

    [Fact]
    public void A_case_for_a_known_household_needs_no_name()
    {
        var household = Guid.NewGuid();

        var (opened, errors) = Case.Open(new OpenCase(null, Need, household), Kari, _clock);

        errors.IsValid.ShouldBeTrue();
        opened!.HouseholdId.ShouldBe(household);
        opened.ExistingHousehold.ShouldBeTrue();
    }

    [Fact]
    public void Without_a_referral_the_case_says_nothing_about_one()
    {
        var (opened, _) = Case.Open(new OpenCase("Familien Berg", Need), Kari, _clock);

        opened!.ReferralSource.ShouldBeNull();
        opened.ReferralReason.ShouldBeNull();
    }
}
