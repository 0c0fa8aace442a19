using System.ComponentModel.DataAnnotations;
using Samskaping.ServiceDefaults;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests;

public sealed class ServiceDefaultsTests
{
    [Fact]
    public void Auth_options_need_an_authority_or_a_signing_key()
    {
        Validate(new AuthOptions { Issuer = "i", Audience = "a" }).ShouldContain(r => r.MemberNames.Contains("SigningKey"));
        Validate(new AuthOptions { Issuer = "i", Audience = "a", Authority = "https://login.example" }).ShouldBeEmpty();
        Validate(new AuthOptions { Issuer = "i", Audience = "a", SigningKey = Convert.ToBase64String(new byte[32]) }).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("c2hvcnQ=")]
    [InlineData("not base64 at all!")]
    public void A_short_or_garbled_signing_key_is_refused(string key)
    {
        Validate(new AuthOptions { Issuer = "i", Audience = "a", SigningKey = key }).ShouldContain(r => r.MemberNames.Contains("SigningKey"));
    }

    [Fact]
    public void A_person_with_several_roles_holds_each_of_them_and_is_sector_staff()
    {
        var token = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new("sub", "dev-siri"), new("role", "grant-approver"), new("role", "analyst"), new("sector", "oppvekst")], "Bearer", "name", "role"));

        var user = CurrentUser.From(token);

        user.Role.ShouldBe("grant-approver analyst");
        user.HasRole("grant-approver").ShouldBeTrue();
        user.HasRole("analyst").ShouldBeTrue();
        user.HasRole("admin").ShouldBeFalse();
        user.HasRole("grant").ShouldBeFalse();
        Policies.IsSectorStaff(token).ShouldBeTrue();
    }

    [Fact]
    public void Issuer_and_audience_are_required()
    {
        var results = Validate(new AuthOptions { SigningKey = Convert.ToBase64String(new byte[32]) });

        results.SelectMany(r => r.MemberNames).ShouldBe(["Issuer", "Audience"], ignoreOrder: true);
    }

    [Fact]
    public void Validation_errors_trim_and_name_fields()
    {
        var errors = new ValidationErrors();

        errors.Text("name", "  Kari  ", 10).ShouldBe("Kari");
        errors.OptionalText("nickname", "   ", 10).ShouldBeNull();
        errors.Text("title", "", 10);
        errors.Text("summary", "too long text", 5);

        errors.ToDictionary().Keys.ShouldBe(["title", "summary"], ignoreOrder: true);
    }

    private static List<ValidationResult> Validate(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
