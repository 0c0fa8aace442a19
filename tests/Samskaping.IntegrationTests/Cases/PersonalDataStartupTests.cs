using Samskaping.Cases;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Cases;

public sealed class PersonalDataStartupTests
{
    [Theory]
    [InlineData(null, null, "Cases:PersonalData:EncryptionKey is missing or not a base64 32-byte key")]
    [InlineData("c2hvcnQ=", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "Cases:PersonalData:EncryptionKey is missing or not a base64 32-byte key")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "", "Cases:PersonalData:LookupKey is missing or not a base64 32-byte key")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "must be different keys")]
    public async Task Cases_does_not_start_without_proper_keys_for_identity_numbers_and_says_why(string? encryption, string? lookup, string message)
    {
        await using var database = await TestDatabase.Create("cases_keys");
        using var factory = new ServiceFactory<CasesMarker>(new Dictionary<string, string?>
        {
            ["Auth:Issuer"] = TestEnvironment.Issuer,
            ["Auth:Audience"] = TestEnvironment.Audience,
            ["Auth:SigningKey"] = TestEnvironment.SigningKey,
            ["ConnectionStrings:Database"] = database.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = TestEnvironment.RabbitMq,
            // Empty rather than absent, so keys in the environment of the test run cannot fill them in.
            ["Cases:PersonalData:EncryptionKey"] = encryption ?? "",
            ["Cases:PersonalData:LookupKey"] = lookup ?? "",
        }, realPort: false);

        var failure = Should.Throw<Exception>(() => factory.Start());

        failure.ToString().ShouldContain(message);
    }
}
