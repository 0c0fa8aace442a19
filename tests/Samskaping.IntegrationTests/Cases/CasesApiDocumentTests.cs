using System.Net;
using System.Text.Json;
using Samskaping.IntegrationTests.EndToEnd;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Cases;

/// <summary>The cases document names every operation's problem answers and who may call it; no identity number is a parameter.</summary>
[Collection(SystemCollection.Name)]
public sealed class CasesApiDocumentTests(SystemFixture system)
{
    [Fact]
    public async Task Every_cases_operation_is_described_with_its_problems_and_its_authorization()
    {
        using var anonymous = system.Anonymous();

        var response = await anonymous.GetAsync("/openapi/cases.json");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var paths = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("paths");
        var operations = paths.EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name, Operation: o.Value)))
            .ToList();
        operations.Count.ShouldBeGreaterThanOrEqualTo(15);
        foreach (var (path, method, operation) in operations)
        {
            var where = $"{method} {path}";
            var answers = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
            answers.ShouldContain("401", where);
            answers.ShouldContain("403", where);
            if (path.Contains("{id}", StringComparison.Ordinal))
            {
                answers.ShouldContain("404", where);
            }
            if (method == "post")
            {
                answers.ShouldContain("400", where);
            }
            operation.GetProperty("summary").GetString().ShouldNotBeNullOrWhiteSpace(where);
            operation.GetProperty("description").GetString()!.ShouldContain("Authorization: ", customMessage: where);
            if (operation.TryGetProperty("parameters", out var parameters))
            {
                parameters.EnumerateArray().Select(p => p.GetProperty("name").GetString()).ShouldNotContain("identityNumber", where);
            }
        }
        paths.GetProperty("/api/cases/{id}/status").GetProperty("post").GetProperty("responses").TryGetProperty("409", out _).ShouldBeTrue();
        paths.GetProperty("/api/cases/{id}/members").GetProperty("post").GetProperty("responses").TryGetProperty("422", out _).ShouldBeTrue();
    }
}
