using System.Security.Cryptography;
using Samskaping.Cases;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.EndToEnd;

public sealed class StartupTests
{
    [Fact]
    public void A_service_without_its_database_connection_string_does_not_start_and_says_why()
    {
        using var factory = new ServiceFactory<CasesMarker>(new Dictionary<string, string?>
        {
            ["Auth:Issuer"] = TestEnvironment.Issuer,
            ["Auth:Audience"] = TestEnvironment.Audience,
            ["Auth:SigningKey"] = TestEnvironment.SigningKey,
            ["ConnectionStrings:RabbitMq"] = TestEnvironment.RabbitMq,
        }, realPort: false);

        var failure = Should.Throw<Exception>(() => factory.Start());

        failure.ToString().ShouldContain("ConnectionStrings:Database is missing");
    }

    [Fact]
    public void A_service_without_a_way_to_check_tokens_does_not_start_and_says_why()
    {
        using var factory = new ServiceFactory<CasesMarker>(new Dictionary<string, string?>
        {
            ["Auth:Issuer"] = TestEnvironment.Issuer,
            ["Auth:Audience"] = TestEnvironment.Audience,
            // Empty on purpose: it also overrides an Auth__SigningKey in the environment of the test run.
            ["Auth:SigningKey"] = "",
            ["ConnectionStrings:Database"] = "Host=127.0.0.1;Database=never_used",
            ["ConnectionStrings:RabbitMq"] = TestEnvironment.RabbitMq,
            // Everything else it checks at start is there, so the refusal can only be about the tokens.
            ["Cases:PersonalData:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Cases:PersonalData:LookupKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }, realPort: false);

        var failure = Should.Throw<Exception>(() => factory.Start());

        failure.ToString().ShouldContain("Set Auth:Authority (OIDC) or Auth:SigningKey");
    }
}
