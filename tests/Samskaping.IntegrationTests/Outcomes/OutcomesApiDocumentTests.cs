using System.Text.Json;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Outcomes;

[Collection(OutcomesCollection.Name)]
public sealed class OutcomesApiDocumentTests(OutcomesSystem system)
{
    [Fact]
    public async Task Every_outcomes_operation_has_a_summary_and_names_its_problem_answers()
    {
        using var anonymous = system.Service.CreateClient();

        var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json")).RootElement;

        var operations = document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/outcomes", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name, Operation: o.Value)))
            .ToList();
        // Outcomes' own nine, and the seven messaging admin operations every service has (Messaging/Replay).
        operations.Count(o => o.Path.StartsWith("/api/outcomes/admin/messaging/", StringComparison.Ordinal)).ShouldBe(7);
        operations.Count.ShouldBe(9 + 7);
        foreach (var (path, method, operation) in operations)
        {
            operation.GetProperty("summary").GetString().ShouldNotBeNullOrWhiteSpace($"{method} {path}");
            var answers = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
            answers.ShouldContain("401", $"{method} {path}");
            answers.ShouldContain("403", $"{method} {path}");
        }
        var record = operations.Single(o => o.Method == "post" && !o.Path.Contains("/admin/", StringComparison.Ordinal)).Operation.GetProperty("responses");
        // 429 (the per-user rate limit), 500 and 503 come from the shared OpenAPI transformers, on every operation.
        record.EnumerateObject().Select(r => r.Name).ShouldBe(["201", "400", "401", "403", "404", "409", "422", "429", "500", "503"], ignoreOrder: true);
        var report = operations.Single(o => o.Path == "/api/outcomes/reports/change").Operation.GetProperty("responses");
        report.GetProperty("200").GetProperty("content").EnumerateObject().Select(c => c.Name)
            .ShouldBe(["application/json", "text/csv", "image/svg+xml"], ignoreOrder: true);
        report.EnumerateObject().Select(r => r.Name).ShouldContain("422");
    }
}
