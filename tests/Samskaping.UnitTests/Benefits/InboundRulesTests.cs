using CsCheck;
using System.Security.Claims;
using Samskaping.Benefits.Inbound;
using Samskaping.Contracts.Benefits;
using Samskaping.Coordination.Consumers;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Benefits;

public sealed class InboundRulesTests
{
    // Synthetic test numbers (month + 80) with valid check digits; they belong to nobody.
    private const string Synthetic = "15838510075";
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    private static InboundNotification Valid() =>
        new("evt-1", Synthetic, "økonomisk sosialhjelp", "granted", 8450m, new DateOnly(2026, 1, 1), null, Now.AddHours(-1));

    [Theory]
    [InlineData("15838510075", true)]
    [InlineData("158385 10075", true)]
    [InlineData("02918820070", true)]
    [InlineData("24861251043", true)]
    [InlineData("15838510076", false)]
    [InlineData("1583851007", false)]
    [InlineData("1583851007a", false)]
    [InlineData("32838510075", false)]
    public void Identity_numbers_are_checked_with_both_check_digits_and_the_date(string number, bool valid) =>
        InboundRules.Validate(Valid() with { PersonIdent = number }, Now).Errors.ToDictionary().ContainsKey("personIdent").ShouldBe(!valid);

    [Fact]
    public void A_complete_notification_is_valid()
    {
        var (valid, errors) = InboundRules.Validate(Valid(), Now);

        errors.IsValid.ShouldBeTrue();
        valid!.PersonIdent.ShouldBe(Synthetic);
    }

    [Theory]
    [InlineData("eventId")]
    [InlineData("personIdent")]
    [InlineData("benefit")]
    [InlineData("status")]
    [InlineData("monthlyAmount")]
    [InlineData("to")]
    [InlineData("occurredAt")]
    public void Each_wrong_field_is_named(string field)
    {
        var request = field switch
        {
            "eventId" => Valid() with { EventId = " " },
            "personIdent" => Valid() with { PersonIdent = "15838510076" },
            "benefit" => Valid() with { Benefit = null },
            "status" => Valid() with { Status = "paused" },
            "monthlyAmount" => Valid() with { MonthlyAmount = 10.005m },
            "to" => Valid() with { To = new DateOnly(2025, 12, 31) },
            _ => Valid() with { OccurredAt = Now.AddHours(1) },
        };

        var (valid, errors) = InboundRules.Validate(request, Now);

        valid.ShouldBeNull();
        errors.ToDictionary().Keys.ShouldBe([field]);
    }

    [Fact]
    public void The_fingerprint_text_is_the_same_for_the_same_notification_and_differs_for_another()
    {
        var a = InboundRules.Validate(Valid(), Now).Valid!;
        var b = InboundRules.Validate(Valid() with { PersonIdent = "158385 10075", OccurredAt = Now.AddHours(-1).ToOffset(TimeSpan.FromHours(1)) }, Now).Valid!;
        var c = InboundRules.Validate(Valid() with { MonthlyAmount = 8451m }, Now).Valid!;

        a.Canonical().ShouldBe(b.Canonical());
        a.Canonical().ShouldNotBe(c.Canonical());
    }

    [Fact]
    public void The_inbound_scope_is_one_of_the_space_separated_scopes()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("scope", "other samskaping:benefits.inbound")], "test"));

        InboundAuthentication.HasScope(user, "samskaping:benefits.inbound").ShouldBeTrue();
        InboundAuthentication.HasScope(user, "samskaping:benefits").ShouldBeFalse();
        InboundAuthentication.HasScope(new ClaimsPrincipal(new ClaimsIdentity()), "samskaping:benefits.inbound").ShouldBeFalse();
    }

    [Fact]
    public void The_relay_log_note_names_benefit_status_period_and_amount_but_no_person()
    {
        var changed = new BenefitStatusChanged(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "evt-1", "økonomisk sosialhjelp", "granted",
            8450m, new DateOnly(2026, 1, 1), null, Now, Now);

        BenefitStatusChangedConsumer.RelayText(changed)
            .ShouldBe("Benefit system: økonomisk sosialhjelp granted for a household member from 2026-01-01 (8450.00 NOK per month).");
        BenefitStatusChangedConsumer.RelayText(changed with { Status = "stopped", From = null, To = new DateOnly(2026, 6, 30), MonthlyAmount = null })
            .ShouldBe("Benefit system: økonomisk sosialhjelp stopped for a household member until 2026-06-30.");
    }
}
