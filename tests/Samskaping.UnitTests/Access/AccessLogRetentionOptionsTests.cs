using Samskaping.Access;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Access;

public sealed class AccessLogRetentionOptionsTests
{
    private static readonly AccessLogRetentionOptions.Validator Validator = new();

    [Fact]
    public void The_access_log_is_kept_five_years_by_default_and_at_least_one_year_when_set()
    {
        var defaults = new AccessLogRetentionOptions();
        (defaults.Years, defaults.SweepInterval, defaults.BatchSize).ShouldBe((5, TimeSpan.FromDays(1), 5000));
        Validator.Validate(null, defaults).Succeeded.ShouldBeTrue();

        Validator.Validate(null, new AccessLogRetentionOptions { Years = 0 }).FailureMessage.ShouldBe("AccessLog:Retention:Years must be at least 1.");
        Validator.Validate(null, new AccessLogRetentionOptions { SweepInterval = TimeSpan.Zero }).Failed.ShouldBeTrue();
        Validator.Validate(null, new AccessLogRetentionOptions { BatchSize = 0 }).Failed.ShouldBeTrue();
    }
}
