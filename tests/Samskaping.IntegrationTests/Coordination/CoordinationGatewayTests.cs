using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.IntegrationTests.EndToEnd;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Coordination;

/// <summary>Coordination in the whole system, through the gateway: a case opened in cases gets its group, plan and relay log.</summary>
[Collection(SystemCollection.Name)]
public sealed class CoordinationGatewayTests(SystemFixture system)
{
    [Fact]
    public async Task A_case_opened_in_cases_can_be_coordinated_through_the_gateway()
    {
        using var kari = system.Client("oppvekst", "coordinator", subject: "kari-gateway");
        var caseId = await SliceTests.OpenCase(kari);
        await SliceTests.EventuallyOk(kari, $"/api/coordination/cases/{caseId}");

        var entry = await kari.PostAsJsonAsync($"/api/coordination/cases/{caseId}/relay-log", new { type = "meeting", text = "Første møte med familien." });
        entry.StatusCode.ShouldBe(HttpStatusCode.Created);
        var level = await kari.PutAsJsonAsync($"/api/coordination/cases/{caseId}/bti-level", new { level = 1, reason = "Tidlig innsats." });
        level.StatusCode.ShouldBe(HttpStatusCode.OK);

        var plan = await kari.GetFromJsonAsync<JsonElement>($"/api/coordination/cases/{caseId}/plan");
        plan.GetProperty("btiLevel").GetProperty("level").GetInt32().ShouldBe(1);
        var leads = await kari.GetFromJsonAsync<JsonElement>($"/api/coordination/cases/{caseId}/leads");
        leads.EnumerateArray().ShouldHaveSingleItem().GetProperty("coordinator").GetString().ShouldBe("kari-gateway");
        (await kari.GetAsync("/api/coordination/my-work")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var outsider = system.Client("nav", "caseworker");
        (await outsider.GetAsync($"/api/coordination/cases/{caseId}/relay-log")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Every_coordination_operation_is_described_with_a_summary_and_its_problem_answers()
    {
        using var anonymous = system.Anonymous();

        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/coordination.json");

        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name, Operation: o.Value)))
            .ToList();
        operations.Count.ShouldBeGreaterThanOrEqualTo(17);
        foreach (var (path, method, operation) in operations)
        {
            var what = $"{method} {path}";
            operation.GetProperty("summary").GetString().ShouldNotBeNullOrWhiteSpace(what);
            operation.GetProperty("description").GetString()!.ShouldContain("Who may call: ", customMessage: what);
            var answers = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
            answers.ShouldContain("401", what);
            if (path.Contains("{caseId}", StringComparison.Ordinal))
            {
                answers.ShouldContain("404", what);
            }
            if (operation.TryGetProperty("requestBody", out _))
            {
                answers.ShouldContain("400", what);
            }
        }
    }
}
