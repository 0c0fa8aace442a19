using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.EntryScript;

/// <summary>
/// <c>./samskaping token</c> for a test system (<c>Auth__SigningKey</c> set, no <c>Auth__Authority</c>): who the tokens it
/// signs are. Coordination makes the opener of a case its lead coordinator by subject, so two people sharing a subject
/// would lead each other's cases. The tokens of the development identity provider: <c>Identity/TokenCommandTests</c>.
/// </summary>
public sealed class TokenCommandTests
{
    private static readonly Dictionary<string, string?> TestSystem = new()
    {
        ["Auth__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Auth__Issuer"] = "samskaping-test",
        ["Auth__Audience"] = "samskaping",
        ["Auth__Authority"] = null,
    };

    [Fact]
    public void Tokens_without_a_name_are_a_person_of_their_own_for_each_sector_and_role()
    {
        string[][] people = [["oppvekst", "caseworker"], ["helse-velferd", "caseworker"], ["oppvekst", "coordinator"], ["kultur", "admin"]];

        var subjects = people.Select(p => Token("--sector", p[0], "--role", p[1]).Subject).ToList();

        subjects.Distinct().Count().ShouldBe(people.Length, string.Join(", ", subjects));
    }

    [Fact]
    public void A_sector_and_role_without_a_name_is_the_same_person_in_every_token()
    {
        var first = Token("--sector", "kultur", "--role", "caseworker");
        var second = Token("--sector", "kultur", "--role", "caseworker");

        second.Subject.ShouldBe(first.Subject);
        first.GetClaim("name").Value.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void A_name_is_the_same_person_in_any_sector_and_role()
    {
        var asCaseworker = Token("--sector", "oppvekst", "--role", "caseworker", "--name", "Kari Nordmann");
        var asCoordinator = Token("--sector", "helse-velferd", "--role", "coordinator", "--name", "Kari Nordmann");

        asCaseworker.Subject.ShouldBe("dev-kari-nordmann");
        asCoordinator.Subject.ShouldBe(asCaseworker.Subject);
        asCaseworker.GetClaim("name").Value.ShouldBe("Kari Nordmann");
    }

    [Fact]
    public void An_empty_name_is_refused()
    {
        var run = EntryScript.Invoke(TestSystem, "token", "--sector", "oppvekst", "--role", "caseworker", "--name", "");

        run.ExitCode.ShouldBe(2);
        run.Errors.ShouldContain("--name must not be empty");
    }

    [Fact]
    public async Task A_token_is_signed_for_the_system_its_environment_names()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var system = new Dictionary<string, string?>
        {
            ["Auth__SigningKey"] = key,
            ["Auth__Issuer"] = "some-system",
            ["Auth__Audience"] = "its-audience",
            ["Auth__Authority"] = null,
        };

        var run = EntryScript.Invoke(system, "token", "--sector", "nav", "--role", "analyst");

        run.ExitCode.ShouldBe(0, run.Errors);
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(run.Output.Trim(), new TokenValidationParameters
        {
            ValidIssuer = "some-system",
            ValidAudience = "its-audience",
            IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(key)),
        });
        validation.IsValid.ShouldBeTrue(validation.Exception?.Message);
        ((JsonWebToken)validation.SecurityToken).Subject.ShouldBe("dev-nav-analyst");
    }

    private static JsonWebToken Token(params string[] options)
    {
        var run = EntryScript.Invoke(TestSystem, ["token", .. options]);
        run.ExitCode.ShouldBe(0, run.Errors);
        return new JsonWebToken(run.Output.Trim());
    }
}
