using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Samskaping.IntegrationTests.EndToEnd;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Security.OpenApiLint;

/// <summary>
/// Every service's OpenAPI document, as the gateway serves it, and its internal document pass Spectral with the OWASP
/// API Security ruleset (tools/openapi-lint/.spectral.yaml): no errors and no warnings. Each rule the ruleset turns off or narrows says why there.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class OpenApiLintTests(SystemFixture system) : IDisposable
{
    // Indented, so the line numbers in a finding point somewhere readable.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("samskaping-openapi-lint-");

    [Fact]
    public async Task Every_service_document_passes_spectral_with_the_owasp_ruleset()
    {
        var files = new List<string>();
        foreach (var service in SystemFixture.ServiceNames)
        {
            files.Add(await Save(service, await Document(service)));
            var internalOnly = await ApiCatalogue.Document(system, service, internalOnly: true);
            files.Add(await Save(service + "-internal", JsonNode.Parse(internalOnly.GetRawText())!));
        }

        var findings = await Spectral.Lint(files);

        var failing = findings.Where(f => f.Severity <= Spectral.Warning).ToList();
        failing.ShouldBeEmpty(
            $"Spectral found {failing.Count} errors or warnings in the served documents (fix the document at its source, "
            + "or turn the rule off in tools/openapi-lint/.spectral.yaml with a reason):\n" + string.Join('\n', failing));
    }

    [Fact]
    public async Task The_lint_rejects_a_document_that_drops_the_bearer_requirement_or_serves_over_plain_http()
    {
        // The same real document with two faults the OWASP rules exist for: the lint must see them, or it checks nothing.
        var document = await Document("cases");
        document.AsObject().Remove("security");
        document["servers"] = new JsonArray(new JsonObject { ["url"] = "http://cases.example", ["x-internal"] = false });
        var file = await Save("cases-broken", document);

        var findings = await Spectral.Lint([file]);

        var failing = findings.Where(f => f.Severity <= Spectral.Warning).Select(f => f.Code).ToList();
        failing.ShouldContain("owasp:api2:2023-write-restricted");
        failing.ShouldContain("owasp:api8:2023-no-server-http");
    }

    private async Task<JsonNode> Document(string service)
    {
        using var anonymous = system.Anonymous();
        var response = await anonymous.GetAsync($"/openapi/{service}.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"/openapi/{service}.json");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task<string> Save(string name, JsonNode document)
    {
        var file = Path.Combine(_folder.FullName, $"{name}.json");
        await File.WriteAllTextAsync(file, document.ToJsonString(Indented));
        return file;
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
