using Samskaping.Cases.Cases;
using Shouldly;
using Case = Samskaping.Cases.Cases.Case;
using Xunit;

namespace Samskaping.UnitTests.Cases;

public sealed class CaseLifecycleTests
{
    private static readonly CaseReadiness Ready = new(Needs: 1, ValidConsents: 1);

    public static TheoryData<CaseStatus, CaseStatus> Allowed => new()
    {
        { CaseStatus.Referred, CaseStatus.Intake },
        { CaseStatus.Referred, CaseStatus.Closed },
        { CaseStatus.Intake, CaseStatus.Active },
        { CaseStatus.Intake, CaseStatus.Closed },
        { CaseStatus.Active, CaseStatus.Closing },
        { CaseStatus.Closing, CaseStatus.Closed },
        { CaseStatus.Closing, CaseStatus.Active },
        { CaseStatus.Closed, CaseStatus.Intake },
        { CaseStatus.Closed, CaseStatus.Active },
    };

    public static TheoryData<CaseStatus, CaseStatus> Refused()
    {
        var allowed = Allowed.Select(row => ((CaseStatus)row[0], (CaseStatus)row[1])).ToHashSet();
        var data = new TheoryData<CaseStatus, CaseStatus>();
        foreach (var from in Enum.GetValues<CaseStatus>())
        {
            foreach (var to in Enum.GetValues<CaseStatus>().Where(to => !allowed.Contains((from, to))))
            {
                data.Add(from, to);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public void An_allowed_move_with_a_reason_is_made(CaseStatus from, CaseStatus to)
    {
        var decision = CaseLifecycle.Decide(from, new ChangeStatus(Case.StatusName(to), " Familien ønsker det. "), Ready);

        decision.Allowed.ShouldBeTrue(decision.Conflict);
        decision.To.ShouldBe(to);
        decision.Reason.ShouldBe("Familien ønsker det.");
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Any_other_move_is_a_conflict_naming_the_current_state(CaseStatus from, CaseStatus to)
    {
        var decision = CaseLifecycle.Decide(from, new ChangeStatus(Case.StatusName(to), "fordi"), Ready);

        decision.Allowed.ShouldBeFalse();
        decision.Errors.IsValid.ShouldBeTrue();
        decision.Conflict.ShouldStartWith($"The case is {Case.StatusName(from)};");
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Every_move_needs_a_reason(CaseStatus from, CaseStatus to)
    {
        var decision = CaseLifecycle.Decide(from, new ChangeStatus(Case.StatusName(to), "  "), Ready);

        decision.Allowed.ShouldBeFalse();
        decision.Errors.ToDictionary().Keys.ShouldBe(["reason"]);
    }

    [Theory]
    [InlineData(CaseStatus.Intake)]
    [InlineData(CaseStatus.Closing)]
    [InlineData(CaseStatus.Closed)]
    public void A_case_becomes_active_only_with_a_valid_consent(CaseStatus from)
    {
        var decision = CaseLifecycle.Decide(from, new ChangeStatus("active", "klar"), Ready with { ValidConsents = 0 });

        decision.Allowed.ShouldBeFalse();
        decision.Conflict!.ShouldContain("consent");
        decision.Conflict.ShouldStartWith($"The case is {Case.StatusName(from)};");
    }

    [Fact]
    public void A_case_becomes_active_only_with_a_need()
    {
        var decision = CaseLifecycle.Decide(CaseStatus.Intake, new ChangeStatus("active", "klar"), Ready with { Needs = 0 });

        decision.Conflict!.ShouldContain("need");
    }

    [Fact]
    public void Closing_needs_no_consent()
    {
        CaseLifecycle.Decide(CaseStatus.Active, new ChangeStatus("closing", "målene er nådd"), new CaseReadiness(1, 0)).Allowed.ShouldBeTrue();
    }

    [Theory]
    [InlineData(null, "to")]
    [InlineData("Active", "to")]
    [InlineData("done", "to")]
    [InlineData("", "to")]
    public void An_unknown_or_missing_state_is_named(string? to, string field)
    {
        var decision = CaseLifecycle.Decide(CaseStatus.Intake, new ChangeStatus(to, "fordi"), Ready);

        decision.Errors.ToDictionary().Keys.ShouldBe([field]);
    }

    [Fact]
    public void A_reason_longer_than_allowed_is_named()
    {
        var decision = CaseLifecycle.Decide(CaseStatus.Intake, new ChangeStatus("active", new string('x', Case.MaxReasonLength + 1)), Ready);

        decision.Errors.ToDictionary().Keys.ShouldBe(["reason"]);
    }

    [Theory]
    [InlineData(CaseStatus.Closing, CaseStatus.Active, true)]
    [InlineData(CaseStatus.Closed, CaseStatus.Intake, true)]
    [InlineData(CaseStatus.Closed, CaseStatus.Active, true)]
    [InlineData(CaseStatus.Intake, CaseStatus.Active, false)]
    public void Moving_back_from_closing_or_closed_is_a_reopen(CaseStatus from, CaseStatus to, bool reopen) =>
        CaseLifecycle.IsReopen(from, to).ShouldBe(reopen);
}
