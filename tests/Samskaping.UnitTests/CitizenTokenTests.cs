using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Samskaping.ServiceDefaults;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests;

/// <summary>
/// What makes a citizen's token (docs/architecture.md §8): a valid pid, an allowed level, no role and no sector; and a
/// token with a pid is never staff, whatever roles it carries.
/// </summary>
public sealed class CitizenTokenTests
{
    private static readonly string Number = Enumerable.Range(100, 100).Select(i => IdentityNumber.WithCheckDigits($"010185{i}")).First(n => n is not null)!;

    [Fact]
    public void A_token_with_pid_substantial_or_high_and_no_role_or_sector_is_a_citizen()
    {
        CitizenToken.From(Token(("pid", Number), ("acr", CitizenToken.Substantial)))!.Number.Digits.ShouldBe(Number);
        CitizenToken.From(Token(("pid", Number), ("acr", CitizenToken.High)))!.Level.ShouldBe(CitizenToken.High);
    }

    [Theory]
    [InlineData("acr", "idporten-loa-low")]
    [InlineData("role", "caseworker")]
    [InlineData("sector", "oppvekst")]
    [InlineData("pid", "12345678901")]
    public void A_lower_level_a_role_a_sector_or_a_second_pid_is_not_a_citizen(string claim, string value)
    {
        var claims = new List<(string, string)> { ("pid", Number), ("acr", CitizenToken.Substantial) };
        claims.RemoveAll(c => c.Item1 == claim && claim == "acr");
        claims.Add((claim, value));

        CitizenToken.From(Token([.. claims])).ShouldBeNull();
    }

    [Fact]
    public void The_access_log_names_the_citizen_by_pseudonym_and_the_citizen_role_never_the_number()
    {
        var reader = CitizenToken.From(Token(("pid", Number), ("acr", CitizenToken.Substantial)))!.AsReader();

        reader.ShouldBe(new CurrentUser("innbygger-x", "", Roles.Citizen, ""));
        reader.ToString().ShouldNotContain(Number);
    }

    [Fact]
    public async Task Staff_policies_and_the_default_refuse_a_token_with_pid_and_the_citizen_policy_refuses_staff()
    {
        var services = new ServiceCollection().AddLogging().AddAuthorization(Policies.Add).BuildServiceProvider();
        var authorization = services.GetRequiredService<IAuthorizationService>();
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthorizationOptions>>().Value;
        var citizen = Token(("pid", Number), ("acr", CitizenToken.Substantial));
        var citizenWithRoles = Token(("pid", Number), ("acr", CitizenToken.Substantial), ("role", "caseworker"), ("sector", "oppvekst"));
        var worker = Token(("role", "caseworker"), ("sector", "oppvekst"));

        (await authorization.AuthorizeAsync(citizen, Policies.Citizen)).Succeeded.ShouldBeTrue();
        (await authorization.AuthorizeAsync(worker, Policies.Citizen)).Succeeded.ShouldBeFalse();
        (await authorization.AuthorizeAsync(citizenWithRoles, Policies.Citizen)).Succeeded.ShouldBeFalse();
        (await authorization.AuthorizeAsync(worker, Policies.CaseWorker)).Succeeded.ShouldBeTrue();
        (await authorization.AuthorizeAsync(citizenWithRoles, Policies.CaseWorker)).Succeeded.ShouldBeFalse();
        (await authorization.AuthorizeAsync(citizen, options.DefaultPolicy)).Succeeded.ShouldBeFalse();
        (await authorization.AuthorizeAsync(citizen, options.FallbackPolicy!)).Succeeded.ShouldBeFalse();
        (await authorization.AuthorizeAsync(worker, options.FallbackPolicy!)).Succeeded.ShouldBeTrue();
    }

    private static ClaimsPrincipal Token(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity([new Claim("sub", "innbygger-x"), .. claims.Select(c => new Claim(c.Type, c.Value))], "Bearer", "name", "role"));
}
