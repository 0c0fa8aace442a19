using Shouldly;
using Samskaping.IntegrationTests.EndToEnd;
using Xunit;

namespace Samskaping.IntegrationTests.Security;

/// <summary>
/// The inventory the security tests walk (OWASP API9): every service's documents are served and read, every
/// operation in them can be called from what the document says — each path parameter is declared — and the
/// service-to-service operations stay out of the public documents.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ApiCatalogueTests(SystemFixture system)
{
    [Fact]
    public async Task Every_service_document_is_read_and_every_operation_is_callable_from_its_description()
    {
        var catalogue = await ApiCatalogue.Load(system);

        foreach (var service in SystemFixture.ServiceNames)
        {
            catalogue.Operations.Count(o => o.Service == service).ShouldBeGreaterThan(2, $"{service} documents too few operations");
        }
        catalogue.Operations.Select(o => o.Key).ShouldContain("GET /api/cases/{id}");
        catalogue.Operations.Select(o => o.Key).ShouldContain("POST /api/cases");
        catalogue.Operations.Select(o => o.Key).ShouldBeUnique();
        foreach (var operation in catalogue.Operations)
        {
            var prefix = operation.IsInternal ? $"/internal/{operation.Service}" : $"/api/{operation.Service}";
            operation.PathTemplate.ShouldStartWith(prefix, customMessage: $"{operation} is outside its service's prefix");
            operation.Responses.ShouldNotBeEmpty($"{operation} documents no answers");
            foreach (var name in operation.PathParameterNames)
            {
                operation.Parameters.ShouldContain(p => p.In == "path" && p.Name == name, $"{operation} does not declare path parameter {name}");
            }
        }
        catalogue.Operations.Where(o => o.TakesIdempotencyKey).ShouldAllBe(o => o.Method == "POST");
        catalogue.Operations.ShouldContain(o => o.TakesIdempotencyKey, "the money-moving POSTs document their Idempotency-Key");
    }

    [Fact]
    public async Task The_internal_operations_are_in_each_services_internal_document_and_not_in_the_public_one()
    {
        var internalOperations = 0;
        foreach (var service in SystemFixture.ServiceNames)
        {
            var published = ApiCatalogue.Read(service, await ApiCatalogue.Document(system, service)).ToList();
            var internalOnly = ApiCatalogue.Read(service, await ApiCatalogue.Document(system, service, internalOnly: true)).ToList();

            published.Where(o => o.IsInternal).Select(o => o.Key).ShouldBeEmpty($"{service}'s public document (the gateway's /docs)");
            internalOnly.Where(o => !o.IsInternal).Select(o => o.Key).ShouldBeEmpty($"{service}'s internal document");
            internalOnly.Select(o => o.Key).ShouldContain($"POST /internal/{service}/access-log/query");
            internalOnly.Select(o => o.Key).ShouldContain($"POST /internal/{service}/person-export");
            internalOperations += internalOnly.Count;
        }
        internalOperations.ShouldBeGreaterThan(2 * SystemFixture.ServiceNames.Length, "each service documents its access-log and person exports, cases its look-ups too");
        // The gateway's own documents describe the gateway, which has no internal operations to show.
        using var anonymous = system.Anonymous();
        var gatewayInternal = await anonymous.GetAsync("/openapi/internal.json");
        if (gatewayInternal.IsSuccessStatusCode)
        {
            ApiCatalogue.Read("gateway", System.Text.Json.JsonDocument.Parse(await gatewayInternal.Content.ReadAsStringAsync()).RootElement).ShouldBeEmpty();
        }
    }
}
