using Samskaping.Grants;
using Samskaping.Grants.Funds;
using Samskaping.Grants.Requests;
using Samskaping.ServiceDefaults;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Grants;

/// <summary>The limits of money inputs, checked by the domain types before anything reaches the database.</summary>
public sealed class MoneyTests
{
    private const decimal Limit = 1_000_000_000.00m;

    [Fact]
    public void The_limits_sit_well_inside_what_the_ledger_column_holds()
    {
        Money.MaxAmount.ShouldBe(Limit);
        Money.MaxBalance.ShouldBe(100_000_000_000.00m);
        // numeric(14,2): a balance at its limit plus the largest amount is still a number the column holds, so the
        // database answers with the limit's CHECK, never with a numeric overflow.
        (Money.MaxBalance + Money.MaxAmount).ShouldBeLessThan(1_000_000_000_000m);
    }

    [Theory]
    [InlineData(1_000_000_000.00, true)]
    [InlineData(1_000_000_000.01, false)]
    [InlineData(999_999_999_999.99, false)]
    public void An_amount_is_accepted_up_to_and_including_the_limit(decimal amount, bool accepted)
    {
        var errors = new ValidationErrors();

        errors.Positive("amount", amount);
        errors.NotNegative("budget", amount);

        errors.IsValid.ShouldBe(accepted);
        if (!accepted)
        {
            errors.ToDictionary()["amount"].ShouldBe(["At most 1000000000.00 NOK."]);
            errors.ToDictionary().Keys.ShouldBe(["amount", "budget"], ignoreOrder: true);
        }
    }

    [Fact]
    public void Every_amount_of_a_fund_is_limited_and_named()
    {
        var errors = new ValidationErrors();
        var past = Limit + 0.01m;

        new CreateFund("Fond", "oppvekst", new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1), past, past, past, past, true).Validate(errors, Guid.NewGuid());
        new TopUpFund(past, null).Validate(errors);
        new ReallocateFunds(Guid.NewGuid(), past, "omfordeling").Validate(errors, Guid.NewGuid());

        errors.ToDictionary().Keys.ShouldBe(["budget", "approvalThreshold", "householdCap", "lowBalanceThreshold", "amount"], ignoreOrder: true);
        errors.ToDictionary()["amount"].Length.ShouldBe(2, "the top-up's and the reallocation's");
    }

    [Fact]
    public void A_grant_and_each_instalment_are_limited_and_named()
    {
        var errors = new ValidationErrors();
        var past = Limit + 0.01m;

        new RequestGrant(Guid.NewGuid(), past, "Husleie", null, new PayeeBody("family", "Familien Berg", "12345678903", null),
            [new InstalmentBody(past, new DateOnly(2030, 1, 1))]).Validate(errors);

        errors.ToDictionary().Keys.ShouldBe(["amount", "instalments[0].amount"], ignoreOrder: true);
    }
}
