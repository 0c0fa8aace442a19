using System.Net;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.EndToEnd;

/// <summary>Every service describes its API, and the gateway serves the documents without a token.</summary>
[Collection(SystemCollection.Name)]
public sealed class ApiDocumentTests(SystemFixture system)
{
    [Theory]
    [InlineData("cases", "/api/cases", "post")]
    [InlineData("cases", "/api/cases/{id}", "get")]
    [InlineData("coordination", "/api/coordination/cases/{caseId}", "get")]
    [InlineData("outcomes", "/api/outcomes/cases/{caseId}/schedule", "get")]
    [InlineData("grants", "/api/grants/cases/{caseId}", "get")]
    [InlineData("benefits", "/api/benefits/cases/{caseId}", "get")]
    public async Task Each_operation_is_described_with_its_problems_and_the_bearer_scheme(string service, string path, string method)
    {
        using var anonymous = system.Anonymous();

        var response = await anonymous.GetAsync($"/openapi/{service}.json");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString().ShouldBe("bearer");
        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
        var answers = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
        answers.ShouldContain("401");
        answers.ShouldContain(method == "post" ? "400" : "404");
        operation.GetProperty("summary").GetString().ShouldNotBeNullOrWhiteSpace();
    }
}
