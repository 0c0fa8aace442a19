using Samskaping.Coordination.Leads;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Coordination;

/// <summary>What the family is shown for its lead: a name and an address only when the token's claim is one.</summary>
public sealed class LeadContactTests
{
    [Theory]
    [InlineData("kari.nordmann@kommune.example", "kari.nordmann@kommune.example")]
    [InlineData("  kari@trondheim.kommune.no ", "kari@trondheim.kommune.no")]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("kari", null)]
    [InlineData("@kommune.example", null)]
    [InlineData("kari@", null)]
    [InlineData("kari@a@b", null)]
    [InlineData("kari nordmann@kommune.example", null)]
    public void The_contact_address_is_the_claim_when_it_is_one_address(string? claim, string? shown) =>
        LeadStore.ContactEmail(claim).ShouldBe(shown);

    [Fact]
    public void An_address_longer_than_an_address_can_be_is_not_shown() =>
        LeadStore.ContactEmail(new string('k', 250) + "@k.no").ShouldBeNull();

    [Theory]
    [InlineData(" Kari Nordmann ", "Kari Nordmann")]
    [InlineData("   ", null)]
    [InlineData(null, null)]
    public void The_display_name_is_the_trimmed_claim(string? claim, string? shown) =>
        LeadStore.DisplayName(claim).ShouldBe(shown);
}
