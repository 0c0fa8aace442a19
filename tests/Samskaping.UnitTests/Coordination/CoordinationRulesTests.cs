using Samskaping.Coordination.ActionPlan;
using Samskaping.Coordination.Groups;
using Samskaping.Coordination.Leads;
using Samskaping.Coordination.RelayLog;
using Samskaping.Coordination.Sectors;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Coordination;

public sealed class CoordinationRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 27);

    [Theory]
    [InlineData("oppvekst", true)]
    [InlineData("helse-velferd", true)]
    [InlineData("pp-tjeneste2", true)]
    [InlineData("Helse-velferd", false)]
    [InlineData("helse velferd", false)]
    [InlineData("-nav", false)]
    [InlineData("nav-", false)]
    [InlineData("helse--velferd", false)]
    [InlineData("2nav", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Sector_codes_are_lowercase_kebab_case(string? code, bool valid) => SectorCode.IsValid(code).ShouldBe(valid);

    [Fact]
    public void A_sector_code_longer_than_forty_characters_is_refused()
    {
        SectorCode.IsValid(new string('a', 40)).ShouldBeTrue();
        SectorCode.IsValid(new string('a', 41)).ShouldBeFalse();
    }

    public static TheoryData<string, string, string, bool, bool> Visibility => new()
    {
        // confidentiality, reader subject, reader sector, reader is lead, sees it (the entry is by "hanne" in helse-velferd)
        { "ordinary", "kjell", "kultur", false, true },
        { "professional-secrecy", "hanne", "helse-velferd", false, true },
        { "professional-secrecy", "hilde", "helse-velferd", false, true },
        { "professional-secrecy", "kjell", "kultur", false, false },
        { "professional-secrecy", "kari", "oppvekst", true, true },
        { "restricted", "hanne", "helse-velferd", false, true },
        { "restricted", "hilde", "helse-velferd", false, false },
        { "restricted", "kjell", "kultur", false, false },
        { "restricted", "kari", "oppvekst", true, true },
    };

    [Theory]
    [MemberData(nameof(Visibility))]
    public void Each_confidentiality_class_has_its_own_readers(string confidentiality, string subject, string sector, bool isLead, bool sees)
    {
        var entry = new RelayLogEntry(Guid.NewGuid(), Guid.NewGuid(), "meeting", "hanne", "helse-velferd", DateTimeOffset.UnixEpoch, confidentiality, "x", null);

        RelayLogRules.IsVisibleTo(entry, subject, sector, isLead).ShouldBe(sees);
    }

    [Fact]
    public void A_relay_log_entry_is_ordinary_unless_said_otherwise_and_needs_a_known_type_and_text()
    {
        var (entry, _) = RelayLogRules.Validate(new WriteRelayLogEntry("meeting", null, "  Møte med familien. ", null));
        entry!.Confidentiality.ShouldBe("ordinary");
        entry.Text.ShouldBe("Møte med familien.");

        var (_, errors) = RelayLogRules.Validate(new WriteRelayLogEntry("gossip", "secret", " ", Guid.Empty, "gossip"));
        errors.ToDictionary().Keys.Order().ShouldBe(["category", "confidentiality", "corrects", "text", "type"]);
        RelayLogRules.Validate(new WriteRelayLogEntry("note", null, "x", null, "health")).Entry!.Category.ShouldBe("health");
    }

    [Theory]
    [InlineData(null, "kjell", new[] { "health" }, false)]
    [InlineData("health", "kjell", new string[0], false)]
    [InlineData("health", "kjell", new[] { "economy" }, false)]
    [InlineData("health", "kjell", new[] { "economy", "health" }, true)]
    [InlineData("health", "hanne", new[] { "health" }, false)]
    public void An_entry_whose_category_is_withheld_loses_only_its_text_except_for_its_author(string? category, string reader, string[] withheld, bool leftOut)
    {
        var entry = new RelayLogEntry(Guid.NewGuid(), Guid.NewGuid(), "meeting", "hanne", "helse-velferd", DateTimeOffset.UnixEpoch, "ordinary", "x", null, category);

        var shown = RelayLogRules.Consented(entry, reader, withheld);

        shown.ShouldBe(leftOut ? entry with { Text = null, Withheld = category } : entry);
    }

    [Fact]
    public void A_measure_needs_a_title_a_sector_a_start_and_a_review_date_not_in_the_past()
    {
        var (measure, _) = ActionPlanRules.Validate(new AgreeMeasure(" Leksehjelp ", null, "kultur", Today, Today.AddMonths(3), Today), Today);
        measure!.Title.ShouldBe("Leksehjelp");

        var (_, errors) = ActionPlanRules.Validate(new AgreeMeasure("", Guid.Empty, "Kultur", Today, Today.AddDays(-1), Today.AddDays(-1)), Today);
        errors.ToDictionary().Keys.Order().ShouldBe(["endsOn", "goalId", "nextReviewOn", "responsibleSector", "title"]);
        ActionPlanRules.Validate(new AgreeMeasure("x", null, "kultur", null, null, null), Today).Errors.ToDictionary().Keys.Order()
            .ShouldBe(["nextReviewOn", "startsOn"]);
    }

    [Fact]
    public void An_evaluation_answers_did_it_help_and_sets_a_later_review()
    {
        ActionPlanRules.Validate(new EvaluateMeasure("partly", " Bedre ", null, Today.AddDays(1)), Today).Evaluation!.FamilyWords.ShouldBe("Bedre");
        ActionPlanRules.Validate(new EvaluateMeasure("maybe", null, null, Today), Today).Errors.ToDictionary().Keys.Order()
            .ShouldBe(["helped", "nextReviewOn"]);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(3, true)]
    [InlineData(-1, false)]
    [InlineData(4, false)]
    [InlineData(null, false)]
    public void The_bti_level_is_zero_to_three(int? level, bool valid) =>
        ActionPlanRules.Validate(new SetBtiLevel(level, "fordi")).Level.ShouldBe(valid ? new SetBtiLevel(level, "fordi") : null);

    [Theory]
    [InlineData("yes", true)]
    [InlineData("no", false)]
    [InlineData("partly", null)]
    [InlineData(null, null)]
    public void A_completed_measure_reports_the_last_answer_to_did_it_help(string? answer, bool? helped) =>
        ActionPlanRules.Helped(answer).ShouldBe(helped);

    [Fact]
    public void A_handover_names_a_person_and_a_sector_and_a_decline_needs_a_reason()
    {
        HandoverRules.Validate(new RequestHandover(" hanne ", "helse-velferd", "  ")).Request.ShouldBe(new RequestHandover("hanne", "helse-velferd", null));
        HandoverRules.Validate(new RequestHandover(null, "Helse", null)).Errors.ToDictionary().Keys.Order().ShouldBe(["to", "toSector"]);
        HandoverRules.Validate(new DeclineHandover("  ")).Reason.ShouldBeNull();
    }

    [Fact]
    public void A_joining_sector_is_a_contributor()
    {
        GroupStore.Validate(new JoinSector("kultur", null)).Sector.ShouldBe("kultur");
        GroupStore.Validate(new JoinSector("kultur", "lead")).Errors.ToDictionary().Keys.ShouldBe(["role"]);
        GroupStore.Validate(new JoinSector(" ", null)).Errors.ToDictionary().Keys.ShouldBe(["sector"]);
    }
}
