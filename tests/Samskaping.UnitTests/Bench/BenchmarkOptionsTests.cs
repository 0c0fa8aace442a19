using Samskaping.Bench;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Bench;

public sealed class BenchmarkOptionsTests
{
    private static BenchmarkContext With(params (string Key, string Value)[] options) =>
        new("Host=x", "amqp://x", "/", 1, Quick: false, options.ToDictionary(o => o.Key, o => o.Value));

    [Fact]
    public void A_list_option_gives_its_numbers_in_order()
    {
        With(("rates", "50, 10,200")).OptionList("rates", [1]).ShouldBe([50, 10, 200]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10,x")]
    [InlineData("10,-5")]
    [InlineData("0")]
    public void A_list_option_that_is_not_all_positive_numbers_gives_the_default(string text)
    {
        With(("rates", text)).OptionList("rates", [10, 50, 100]).ShouldBe([10, 50, 100]);
    }

    [Fact]
    public void A_missing_list_option_gives_the_default()
    {
        With().OptionList("rates", [10, 50, 100]).ShouldBe([10, 50, 100]);
    }
}
