using Samskaping.Benefits;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Benefits.Inbound;

public sealed class InboundStartupTests
{
    [Theory]
    [InlineData("", "Benefits:Inbound:SigningKey must be base64 of at least 32 bytes")]
    [InlineData("c2hvcnQ=", "Benefits:Inbound:SigningKey must be base64 of at least 32 bytes")]
    public void Benefits_without_a_usable_inbound_key_does_not_start_and_says_why(string key, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:Issuer"] = TestEnvironment.Issuer,
            ["Auth:Audience"] = TestEnvironment.Audience,
            ["Auth:SigningKey"] = TestEnvironment.SigningKey,
            ["ConnectionStrings:Database"] = "Host=127.0.0.1;Database=never_used",
            ["ConnectionStrings:RabbitMq"] = TestEnvironment.RabbitMq,
        };
        foreach (var (k, v) in NavSimulatorSettings.Benefits(new Uri("http://127.0.0.1:1/"), new Uri("http://127.0.0.1:1/")))
        {
            settings[k] = v;
        }
        settings["Benefits:Inbound:SigningKey"] = key;
        using var factory = new ServiceFactory<BenefitsMarker>(settings, realPort: false);

        var failure = Should.Throw<Exception>(() => factory.Start());

        failure.ToString().ShouldContain(message);
    }
}
