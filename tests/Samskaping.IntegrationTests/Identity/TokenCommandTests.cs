using System.Diagnostics;
using Microsoft.IdentityModel.JsonWebTokens;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Identity;

/// <summary>
/// <c>./samskaping token</c> against an identity provider (<c>Auth__Authority</c>), as after <c>./samskaping up</c>: the
/// same options and output as for a test system, the token from the provider's development grant, and a person the
/// provider does not know refused with its reason.
/// </summary>
public sealed class TokenCommandTests(IdentityProviderHost provider) : IClassFixture<IdentityProviderHost>
{
    [Fact]
    public void A_named_demo_person_gets_the_providers_RS256_token_with_the_role_and_sector_asked_for()
    {
        var token = Token("--sector", "oppvekst", "--role", "caseworker", "--name", "Kari Nordmann");

        token.Alg.ShouldBe("RS256");
        token.Issuer.ShouldBe(provider.Issuer);
        token.Subject.ShouldBe("dev-kari-nordmann");
        token.GetClaim("name").Value.ShouldBe("Kari Nordmann");
        token.Claims.Where(c => c.Type == "role").Select(c => c.Value).ShouldBe(["caseworker"]);
        token.GetClaim("sector").Value.ShouldBe("oppvekst");
    }

    [Fact]
    public void Without_a_name_each_sector_and_role_is_a_person_of_its_own_and_always_the_same()
    {
        var first = Token("--sector", "helse-velferd", "--role", "caseworker");
        var again = Token("--sector", "helse-velferd", "--role", "caseworker");
        var other = Token("--sector", "helse-velferd", "--role", "coordinator");

        first.Subject.ShouldBe("dev-helse-velferd-caseworker");
        again.Subject.ShouldBe(first.Subject);
        other.Subject.ShouldBe("dev-helse-velferd-coordinator");
    }

    [Fact]
    public void Minutes_set_the_tokens_lifetime()
    {
        var token = Token("--sector", "kultur", "--role", "analyst", "--minutes", "5");

        (token.ValidTo - token.IssuedAt).ShouldBe(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(2));
    }

    [Theory]
    [InlineData("--name", "Ukjent Person", "No demo person is called 'Ukjent Person'")]
    [InlineData("--name", "Kari Nordmann", "Kari Nordmann is coordinator and caseworker in oppvekst, not caseworker in nav")]
    [InlineData("--sub", "dev-nobody", "No demo person is called 'dev-nobody'")]
    public void A_person_the_provider_does_not_know_in_that_role_and_sector_gets_no_token_and_is_told_why(string option, string value, string reason)
    {
        var (exit, output, errors) = Run("token", "--sector", option == "--name" && value == "Kari Nordmann" ? "nav" : "oppvekst",
            "--role", "caseworker", option, value);

        exit.ShouldBe(1);
        output.ShouldBeEmpty();
        errors.ShouldContain(reason);
    }

    private JsonWebToken Token(params string[] options)
    {
        var (exit, output, errors) = Run(["token", .. options]);
        exit.ShouldBe(0, errors);
        return new JsonWebToken(output.Trim());
    }

    private (int Exit, string Output, string Errors) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(TestEnvironment.Root, "samskaping"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestEnvironment.Root,
        };
        start.Environment["Auth__Authority"] = provider.Issuer;
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, errors.Result);
    }
}
