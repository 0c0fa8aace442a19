using System.Text.Json;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Benefits.Lookup;

/// <summary>The benefits OpenAPI document names the look-up's and the inbound endpoint's answers, problems included.</summary>
[Collection(BenefitsSystemCollection.Name)]
public sealed class LookupApiDocumentTests(BenefitsSystem system)
{
    [Theory]
    // 429 (the per-user rate limit) and 500 come from the shared OpenAPI transformers, on every operation.
    [InlineData("/api/benefits/households/{householdId}/benefits", "get", "200,401,403,404,429,500,503")]
    [InlineData("/api/benefits/inbound", "post", "202,400,401,403,409,422,429,500,503")]
    public async Task Each_operation_is_described_with_its_problems(string path, string method, string answers)
    {
        using var anonymous = BenefitsSystem.Anonymous(system.Benefits);

        var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json")).RootElement;

        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
        operation.GetProperty("summary").GetString().ShouldNotBeNullOrWhiteSpace();
        operation.GetProperty("description").GetString().ShouldNotBeNullOrWhiteSpace();
        operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ShouldBe(answers.Split(','), ignoreOrder: true);
        if (method == "post")
        {
            var schema = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
            schema.GetRawText().ShouldContain("InboundNotification");
        }
    }
}
