using Shouldly;
using Samskaping.IntegrationTests.EndToEnd;
using Xunit;

namespace Samskaping.IntegrationTests.Security;

/// <summary>
/// The inventory the security tests walk (OWASP API9): every service's document is served and read, and every
/// operation in it can be called from what the document says — each path parameter is declared.
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
}
