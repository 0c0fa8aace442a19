using CsCheck;
using Samskaping.Grants;
using Samskaping.Grants.Disbursements;
using Samskaping.Grants.Funds;
using Samskaping.Grants.Requests;
using Samskaping.ServiceDefaults;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Grants;

public sealed class GrantRulesTests
{
    private static readonly Fund Fund = new(Guid.NewGuid(), "Fritidsfond", "kultur", new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1),
        ApprovalThreshold: 2_000m, HouseholdCap: 10_000m, LowBalanceThreshold: 1_000m, ReportToBenefitSystem: true);

    private static readonly CurrentUser Kari = new("kari", "Kari", "caseworker", "oppvekst");
    private static readonly CurrentUser Ola = new("ola", "Ola", "grant-approver", "oppvekst");
    private static readonly CurrentUser Siri = new("siri", "Siri", "grant-approver", "oppvekst");

    [Theory]
    [InlineData(1_999.99, ApprovalRule.DecidesAlone)]
    [InlineData(2_000.00, ApprovalRule.DecidesAlone)]
    [InlineData(2_000.01, ApprovalRule.NeedsGrantApprover)]
    public void A_caseworker_decides_alone_up_to_and_including_the_threshold(decimal amount, ApprovalRule expected) =>
        Decisions.Approval(GrantStatuses.Requested, "kari", amount, Fund, Kari).ShouldBe(expected);

    [Fact]
    public void The_requester_decides_their_own_small_grant_alone()
    {
        Decisions.Approval(GrantStatuses.Requested, "ola", 500m, Fund, Ola).ShouldBe(ApprovalRule.DecidesAlone);
    }

    [Fact]
    public void Above_the_threshold_the_requester_cannot_approve_their_own_but_another_approver_can()
    {
        Decisions.Approval(GrantStatuses.Requested, "ola", 2_500m, Fund, Ola).ShouldBe(ApprovalRule.RequesterCannotApprove);
        Decisions.Approval(GrantStatuses.Requested, "ola", 2_500m, Fund, Siri).ShouldBe(ApprovalRule.SecondApprover);
        Decisions.Approval(GrantStatuses.Requested, "kari", 2_500m, Fund, Kari).ShouldBe(ApprovalRule.NeedsGrantApprover);
    }

    [Theory]
    [InlineData(GrantStatuses.Approved)]
    [InlineData(GrantStatuses.Declined)]
    public void A_decided_grant_is_not_decided_again(string status) =>
        Decisions.Approval(status, "kari", 100m, Fund, Siri).ShouldBe(ApprovalRule.AlreadyDecided);

    [Theory]
    [InlineData(0, 10_000, true)]
    [InlineData(9_999.99, 0.01, true)]
    [InlineData(9_999.99, 0.02, false)]
    [InlineData(10_000, 0.01, false)]
    public void The_household_cap_allows_up_to_and_including_the_cap(decimal committed, decimal amount, bool allowed) =>
        Decisions.WithinHouseholdCap(committed, amount, Fund.HouseholdCap).ShouldBe(allowed);

    [Theory]
    [InlineData(DisbursementStatuses.Planned, DisbursementStatuses.Paid, true)]
    [InlineData(DisbursementStatuses.Planned, DisbursementStatuses.Stopped, true)]
    [InlineData(DisbursementStatuses.Planned, DisbursementStatuses.Cancelled, true)]
    [InlineData(DisbursementStatuses.Planned, DisbursementStatuses.Planned, false)]
    [InlineData(DisbursementStatuses.Paid, DisbursementStatuses.Stopped, false)]
    [InlineData(DisbursementStatuses.Paid, DisbursementStatuses.Cancelled, false)]
    [InlineData(DisbursementStatuses.Stopped, DisbursementStatuses.Paid, false)]
    [InlineData(DisbursementStatuses.Cancelled, DisbursementStatuses.Paid, false)]
    public void Only_a_planned_disbursement_moves_and_then_only_to_an_outcome(string from, string to, bool allowed) =>
        DisbursementStatuses.CanMove(from, to).ShouldBe(allowed);

    [Theory]
    [InlineData("12345678903", true)]
    [InlineData("15031020309", true)]
    [InlineData("12345678900", false)]
    [InlineData("1234567890", false)]
    [InlineData("1234567890a", false)]
    [InlineData("", false)]
    public void Account_numbers_are_11_digits_with_a_mod_11_check_digit(string number, bool valid) =>
        NorwegianNumbers.IsAccountNumber(number).ShouldBe(valid);

    [Theory]
    [InlineData("974000008", true)]
    [InlineData("923456783", true)]
    [InlineData("974000009", false)]
    [InlineData("97400000", false)]
    public void Organisation_numbers_are_9_digits_with_a_mod_11_check_digit(string number, bool valid) =>
        NorwegianNumbers.IsOrganisationNumber(number).ShouldBe(valid);

    [Fact]
    public void Exactly_one_last_digit_makes_an_account_number_valid_unless_the_remainder_gives_ten()
    {
        Gen.String[Gen.Char['0', '9'], 10, 10].Sample(prefix =>
        {
            var valid = Enumerable.Range(0, 10).Count(d => NorwegianNumbers.IsAccountNumber(prefix + d));
            valid.ShouldBeLessThanOrEqualTo(1);
            (valid == 1).ShouldBe(NorwegianNumbers.CheckDigit(prefix, NorwegianNumbers.Weights(organisation: false)) is not null);
        });
    }

    [Theory]
    [InlineData(12.345, "amount")]
    [InlineData(-1, "amount")]
    [InlineData(0, "amount")]
    public void A_grant_request_with_a_bad_amount_names_amount(decimal amount, string field)
    {
        var errors = new ValidationErrors();
        Request(amount).Validate(errors);
        errors.ToDictionary().Keys.ShouldBe([field]);
    }

    [Fact]
    public void A_one_off_request_is_one_instalment_and_a_plan_must_sum_to_the_amount()
    {
        var errors = new ValidationErrors();
        Request(500m).Validate(errors).Instalments.ShouldBe([new Instalment(1, 500m, null)]);
        errors.IsValid.ShouldBeTrue();

        var plan = Request(500m) with { Instalments = [new InstalmentBody(250m, new DateOnly(2030, 1, 1)), new InstalmentBody(249.99m, new DateOnly(2030, 2, 1))] };
        plan.Validate(errors);
        errors.ToDictionary().Keys.ShouldBe(["instalments"]);
    }

    [Fact]
    public void A_third_party_payee_needs_an_organisation_number_and_a_family_payee_has_none()
    {
        var errors = new ValidationErrors();
        (Request(100m) with { Payee = new PayeeBody("third-party", "Klubben", "15031020309", null) }).Validate(errors);
        (Request(100m) with { Payee = new PayeeBody("family", "Berg", "12345678903", "974000008") }).Validate(errors);
        errors.ToDictionary()["payee.organisationNumber"].Length.ShouldBe(2);
    }

    [Fact]
    public void Account_numbers_written_with_spaces_or_dots_are_accepted()
    {
        var errors = new ValidationErrors();
        (Request(100m) with { Payee = new PayeeBody("family", "Berg", "1234 56 78903", null) }).Validate(errors).Payee.AccountNumber.ShouldBe("12345678903");
        errors.IsValid.ShouldBeTrue();
    }

    [Theory]
    [InlineData("grant-approver", "oppvekst", "oppvekst", true)]
    [InlineData("grant-approver", "kultur", "oppvekst", false)]
    [InlineData("admin", "kultur", "oppvekst", true)]
    [InlineData("admin", "", "Innbyggernes modell", true)]
    [InlineData("grant-approver", "oppvekst", "Innbyggernes modell", false)]
    [InlineData("caseworker", "oppvekst", "oppvekst", false)]
    [InlineData("coordinator", "oppvekst", "oppvekst", false)]
    [InlineData("caseworker admin", "kultur", "oppvekst", true)]
    [InlineData("caseworker grant-approver", "oppvekst", "oppvekst", true)]
    [InlineData("caseworker grant-approver", "kultur", "oppvekst", false)]
    public void A_fund_is_managed_by_the_grant_approvers_of_its_owning_sector_and_by_admins(string role, string sector, string owner, bool manages) =>
        GrantPolicies.ManagesFund(new CurrentUser("x", "X", role, sector), owner).ShouldBe(manages);

    [Theory]
    [InlineData(0, true)]
    [InlineData(-400, true)]
    [InlineData(7, true)]
    [InlineData(8, false)]
    [InlineData(3 * 366, false)]
    public void A_payment_is_recorded_at_most_a_week_ahead(int daysAhead, bool accepted)
    {
        var today = new DateOnly(2026, 12, 4);
        var errors = new ValidationErrors();

        new MarkPaid(today.AddDays(daysAhead), "UTB-1").Validate(errors, today);

        errors.IsValid.ShouldBe(accepted);
        if (!accepted)
        {
            errors.ToDictionary().Keys.ShouldBe(["paidOn"]);
        }
    }

    private static RequestGrant Request(decimal amount) =>
        new(Fund.Id, amount, "Fotballsko", null, new PayeeBody("family", "Familien Berg", "12345678903", null), null);
}
