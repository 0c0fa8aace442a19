using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Samskaping.Gateway.Tests;

/// <summary>
/// The gateway's memory of tokens that passed. Whether a token was checked again is seen by changing the signing key
/// the check would use: a remembered token still passes, one checked again fails.
/// </summary>
public sealed class ValidatedTokensTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private readonly Tokens tokens = new();
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_token_that_passed_is_taken_as_valid_again_within_the_lifetime()
    {
        var handler = new ValidatedTokens(clock, Lifetime, capacity: 100);
        var token = tokens.Create();

        (await handler.ValidateTokenAsync(token, Parameters(tokens.SigningKey))).IsValid.ShouldBeTrue();
        clock.Advance(Lifetime - TimeSpan.FromSeconds(1));
        var again = await handler.ValidateTokenAsync(token, Parameters(OtherKey()));

        again.IsValid.ShouldBeTrue();
        again.SecurityToken.ShouldBeOfType<JsonWebToken>().Issuer.ShouldBe(Tokens.Issuer);
        again.ClaimsIdentity.FindFirst("role")!.Value.ShouldBe("caseworker");
        handler.Count.ShouldBe(1);
    }

    [Fact]
    public async Task After_the_lifetime_the_token_is_checked_again()
    {
        var handler = new ValidatedTokens(clock, Lifetime, capacity: 100);
        var token = tokens.Create();

        (await handler.ValidateTokenAsync(token, Parameters(tokens.SigningKey))).IsValid.ShouldBeTrue();
        clock.Advance(Lifetime);

        (await handler.ValidateTokenAsync(token, Parameters(OtherKey()))).IsValid.ShouldBeFalse();
        handler.Count.ShouldBe(0);
    }

    [Fact]
    public async Task A_token_is_never_taken_as_valid_past_its_own_expiry()
    {
        var handler = new ValidatedTokens(clock, Lifetime, capacity: 100);
        var token = tokens.Create(expires: clock.GetUtcNow().UtcDateTime.AddSeconds(30));

        (await handler.ValidateTokenAsync(token, Parameters(tokens.SigningKey))).IsValid.ShouldBeTrue();
        clock.Advance(TimeSpan.FromSeconds(31));

        (await handler.ValidateTokenAsync(token, Parameters(OtherKey()))).IsValid.ShouldBeFalse();
    }

    [Fact]
    public async Task A_refused_token_is_not_remembered()
    {
        var handler = new ValidatedTokens(clock, Lifetime, capacity: 100);
        var forged = tokens.Create(signingKey: RandomNumberGenerator.GetBytes(32));

        (await handler.ValidateTokenAsync(forged, Parameters(tokens.SigningKey))).IsValid.ShouldBeFalse();
        (await handler.ValidateTokenAsync(forged, Parameters(tokens.SigningKey))).IsValid.ShouldBeFalse();
        handler.Count.ShouldBe(0);
    }

    [Fact]
    public async Task A_token_that_differs_by_one_character_is_checked_in_full()
    {
        var handler = new ValidatedTokens(clock, Lifetime, capacity: 100);
        var token = tokens.Create();
        (await handler.ValidateTokenAsync(token, Parameters(tokens.SigningKey))).IsValid.ShouldBeTrue();

        var last = token[^1];
        var tampered = token[..^1] + (last == 'A' ? 'B' : 'A');

        (await handler.ValidateTokenAsync(tampered, Parameters(tokens.SigningKey))).IsValid.ShouldBeFalse();
    }

    [Fact]
    public async Task Each_request_gets_its_own_copy_of_the_claims()
    {
        var handler = new ValidatedTokens(clock, Lifetime, capacity: 100);
        var token = tokens.Create(role: "caseworker");
        var first = await handler.ValidateTokenAsync(token, Parameters(tokens.SigningKey));

        first.ClaimsIdentity.AddClaim(new Claim("role", "admin"));
        var second = await handler.ValidateTokenAsync(token, Parameters(tokens.SigningKey));
        second.ClaimsIdentity.AddClaim(new Claim("role", "privacy-officer"));
        var third = await handler.ValidateTokenAsync(token, Parameters(tokens.SigningKey));

        second.ClaimsIdentity.ShouldNotBeSameAs(first.ClaimsIdentity);
        third.ClaimsIdentity.FindAll("role").Select(c => c.Value).ShouldBe(["caseworker"]);
    }

    [Fact]
    public async Task When_full_a_new_token_passes_without_being_remembered_until_old_ones_expire()
    {
        var handler = new ValidatedTokens(clock, Lifetime, capacity: 2);
        foreach (var subject in new[] { "a", "b" })
        {
            (await handler.ValidateTokenAsync(tokens.Create(subject: subject), Parameters(tokens.SigningKey))).IsValid.ShouldBeTrue();
        }
        var third = tokens.Create(subject: "c");

        (await handler.ValidateTokenAsync(third, Parameters(tokens.SigningKey))).IsValid.ShouldBeTrue();
        handler.Count.ShouldBe(2);
        (await handler.ValidateTokenAsync(third, Parameters(OtherKey()))).IsValid.ShouldBeFalse();

        clock.Advance(Lifetime);
        (await handler.ValidateTokenAsync(third, Parameters(tokens.SigningKey))).IsValid.ShouldBeTrue();
        handler.Count.ShouldBe(1);
        (await handler.ValidateTokenAsync(third, Parameters(OtherKey()))).IsValid.ShouldBeTrue();
    }

    [Fact]
    public void The_gateway_validates_bearer_tokens_through_it_unless_switched_off()
    {
        using var on = new GatewayHost(tokens, new Uri("http://127.0.0.1:9/"));
        var jwt = on.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        jwt.TokenHandlers.ShouldHaveSingleItem().ShouldBeOfType<ValidatedTokens>().MapInboundClaims.ShouldBeFalse();

        using var off = new GatewayHost(tokens, new Uri("http://127.0.0.1:9/"), new Dictionary<string, string?> { ["Gateway:TokenCacheSeconds"] = "0" });
        var plain = off.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        plain.TokenHandlers.ShouldHaveSingleItem().ShouldNotBeOfType<ValidatedTokens>();
    }

    private static TokenValidationParameters Parameters(string signingKey) => new()
    {
        ValidIssuer = Tokens.Issuer,
        ValidAudience = Tokens.Audience,
        RequireExpirationTime = true,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(signingKey)),
        ClockSkew = TimeSpan.Zero,
    };

    private static string OtherKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
