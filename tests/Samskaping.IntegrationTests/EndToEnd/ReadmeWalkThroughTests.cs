using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.EndToEnd;

/// <summary>
/// The README's walk-through is what a newcomer tries first: every command in it runs here, from README.md itself,
/// against the whole system over the real PostgreSQL and RabbitMQ, and answers what the README says it answers.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ReadmeWalkThroughTests(SystemFixture system)
{
    [Fact]
    public async Task Every_step_of_the_readme_walk_through_answers_what_the_readme_says()
    {
        var walkThrough = ReadmeWalkThrough.Parse(File.ReadAllText(Path.Combine(TestEnvironment.Root, "README.md")));

        walkThrough.Steps.Count.ShouldBeGreaterThan(1, "the walk-through's sh blocks were found");
        walkThrough.Steps.Sum(s => s.Expectations.Count).ShouldBeGreaterThan(5, "the README says what its calls answer");
        await walkThrough.Run(system.Gateway, TokensForThisSystem);
    }

    // The checks themselves: a README that promises something else, or runs a call it says nothing about, fails.
    [Theory]
    [InlineData("# 201 the case, \"status\": \"active\"", "the README says the answer has \"status\": \"active\"")]
    [InlineData("# 200 the case", "answered 201, the README says 200")]
    [InlineData("", "1 calls ran, but the README says what 0 answer")]
    public async Task A_step_that_answers_otherwise_than_the_readme_says_fails(string promise, string failure)
    {
        var readme = $$$"""
            # Samskaping

            ## Walk-through: a test

            ```sh
            TOKEN=$(./samskaping token --sector kultur --role caseworker)
            curl -s -X POST {{{ReadmeWalkThrough.ReadmeGateway}}}/api/cases -H "Authorization: Bearer $TOKEN" \
              -H 'Content-Type: application/json' -d '{"householdName": "Familien Test", "need": {"text": "Hjelp til lekser."}}'
            {{{promise}}}
            ```
            """;

        var thrown = await Should.ThrowAsync<ReadmeStepFailed>(() => ReadmeWalkThrough.Parse(readme).Run(system.Gateway, TokensForThisSystem));

        thrown.Message.ShouldContain(failure);
    }

    [Fact]
    public async Task A_command_that_fails_fails_the_step()
    {
        var readme = """
            ## Walk-through

            ```sh
            TOKEN=$(./samskaping token --sector nowhere --role caseworker)
            ```
            """;

        var thrown = await Should.ThrowAsync<ReadmeStepFailed>(() => ReadmeWalkThrough.Parse(readme).Run(system.Gateway, TokensForThisSystem));

        thrown.Message.ShouldContain("--sector must be one of");
    }

    /// <summary><c>./samskaping token</c> signs for the system its environment describes: here, this test run's.</summary>
    private static Dictionary<string, string> TokensForThisSystem => new()
    {
        ["Auth__SigningKey"] = TestEnvironment.SigningKey,
        ["Auth__Issuer"] = TestEnvironment.Issuer,
        ["Auth__Audience"] = TestEnvironment.Audience,
    };
}
