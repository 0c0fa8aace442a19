using System.ComponentModel.DataAnnotations;
using Samskaping.Outcomes;
using Samskaping.Outcomes.Schedules;
using Samskaping.Outcomes.Scoring;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Outcomes;

public sealed class OutcomesOptionsTests
{
    [Fact]
    public void Follow_ups_default_to_3_6_and_12_months_and_must_be_distinct_whole_months()
    {
        new ScheduleOptions().FollowUps.ShouldBe([3, 6, 12]);
        new ScheduleOptions { FollowUpMonths = [1, 24] }.FollowUps.ShouldBe([1, 24]);

        Errors(new ScheduleOptions { FollowUpMonths = [3, 3] }).ShouldHaveSingleItem().ShouldContain("FollowUpMonths");
        Errors(new ScheduleOptions { FollowUpMonths = [0] }).ShouldHaveSingleItem();
    }

    [Fact]
    public void Norms_must_have_a_reliability_below_one_and_a_positive_sd_and_the_key_is_required()
    {
        var options = new OutcomesOptions
        {
            PseudonymKey = "a-secret-of-at-least-thirty-two-characters",
            Scoring = new() { ["samskaping-core-v1"] = new() { ["mastery"] = new DomainNorm { Reliability = 1, ReferenceSd = 0 } } },
        };

        var errors = Errors(options);

        errors.ShouldContain(e => e.Contains("Outcomes:Scoring:samskaping-core-v1:mastery:Reliability", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("ReferenceSd must be positive", StringComparison.Ordinal));
        Errors(new OutcomesOptions()).ShouldBe([
            "Outcomes:PseudonymKey is missing: set it (environment variable Outcomes__PseudonymKey) to a secret of at least 32 characters; the research export's pseudonyms are keyed with it."]);
        Errors(new OutcomesOptions { PseudonymKey = "short" }).ShouldBe(["Outcomes:PseudonymKey is too short: use a secret of at least 32 characters."]);
    }

    private static List<string> Errors(object options)
    {
        // As ValidateDataAnnotations does at start-up: the attributes, then IValidatableObject.Validate when they pass.
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? "")];
    }
}
