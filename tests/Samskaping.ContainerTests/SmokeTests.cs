using System.Globalization;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace Samskaping.ContainerTests;

/// <summary>
/// Through the gateway container to the service containers the umbrella chart renders, over the host's PostgreSQL and
/// RabbitMQ: what an operator checks first after installing it.
/// </summary>
[Collection(ContainerCollection.Name)]
public sealed class SmokeTests(ContainerSystem system)
{
    private readonly string _caseworker = system.Token("oppvekst", "caseworker", "smoke-kari");
    private readonly string _approver = system.Token("oppvekst", "grant-approver", "smoke-ola");

    [Fact]
    public async Task The_gateway_is_ready_and_so_is_every_service_behind_it()
    {
        using var live = await system.Gateway.GetAsync("health/live");
        ((int)live.StatusCode).ShouldBe(200);
        using var ready = await system.Gateway.GetAsync("health/ready");
        ((int)ready.StatusCode).ShouldBe(200, await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_case_opened_through_the_gateway_reaches_coordination_through_the_broker()
    {
        var caseId = await OpenCase("Familien Smoke");

        var (status, group) = await ContainerSystem.Eventually(
            () => system.Send(HttpMethod.Get, $"api/coordination/cases/{caseId}", _caseworker),
            a => a.Status == 200, "the coordination group of the new case");
        status.ShouldBe(200);
        group.GetRawText().ShouldContain("\"coordinator\":\"smoke-kari\"");
    }

    [Fact]
    public async Task A_grant_request_with_an_idempotency_key_is_made_once_however_often_it_is_sent()
    {
        var caseId = await OpenCase("Familien Idempotens");
        var fund = await CreateFund(reportToBenefitSystem: false);
        await GrantsKnow(caseId);

        var key = Guid.NewGuid().ToString();
        var first = await system.Send(HttpMethod.Post, $"api/grants/cases/{caseId}/grants", _caseworker, GrantRequest(fund), key);
        first.Status.ShouldBe(201, first.Body.ToString());
        var again = await system.Send(HttpMethod.Post, $"api/grants/cases/{caseId}/grants", _caseworker, GrantRequest(fund), key);
        again.Status.ShouldBe(201, again.Body.ToString());
        again.Body.GetProperty("id").GetString().ShouldBe(first.Body.GetProperty("id").GetString());

        var (_, grants) = await system.Send(HttpMethod.Get, $"api/grants/cases/{caseId}", _caseworker);
        grants.GetProperty("grants").GetArrayLength().ShouldBe(1);
        var without = await system.Send(HttpMethod.Post, $"api/grants/cases/{caseId}/grants", _caseworker, GrantRequest(fund));
        without.Status.ShouldBe(400, "a money-moving POST without an Idempotency-Key is refused");
    }

    [Fact]
    public async Task An_approved_grant_reaches_the_simulator_container_as_a_digisos_status_document()
    {
        var caseId = await OpenCase("Familien Digisos");
        var member = await system.Send(HttpMethod.Post, $"api/cases/{caseId}/members", _caseworker,
            new { name = "Mona Digisos", role = "parent", identityNumber = ContainerSystem.AdultIdentityNumber() });
        member.Status.ShouldBe(201, member.Body.ToString());
        var fund = await CreateFund(reportToBenefitSystem: true);
        await GrantsKnow(caseId);
        var grant = await system.Send(HttpMethod.Post, $"api/grants/cases/{caseId}/grants", _caseworker, GrantRequest(fund), Guid.NewGuid().ToString());
        grant.Status.ShouldBe(201, grant.Body.ToString());
        var approved = await system.Send(HttpMethod.Post, $"api/grants/grants/{grant.Body.GetProperty("id").GetString()}/approve",
            _caseworker, null, Guid.NewGuid().ToString());
        approved.Status.ShouldBeInRange(200, 201, approved.Body.ToString());

        var (_, feed) = await ContainerSystem.Eventually(
            () => system.Send(HttpMethod.Get, $"api/benefits/cases/{caseId}/feed", _caseworker),
            a => a.Status == 200 && a.Body.GetProperty("state").GetString() == "delivered", "the case's Digisos feed delivered");
        var digisosId = feed.GetProperty("digisosId").GetString();

        // What the simulator container holds, asked of it directly: the case, whose latest document comes to carry the
        // decision with its letter (versions that arrive together are sent as one document, so documents may be fewer
        // than versions, and the letter's version may follow the approval's).
        var held = await ContainerSystem.Eventually(async () =>
        {
            using var received = await system.Simulator.GetAsync($"simulator/digisos/{digisosId}");
            return received.IsSuccessStatusCode ? JsonDocument.Parse(await received.Content.ReadAsStringAsync()).RootElement.Clone() : default;
        }, h => h.ValueKind == JsonValueKind.Object && EventTypes(h).Contains("vedtakFattet"), $"Digisos case {digisosId} to hold the decision");
        held.GetProperty("receipts").GetArrayLength().ShouldBeGreaterThan(0);
    }

    private static List<string?> EventTypes(JsonElement held) =>
        held.GetProperty("latest").GetProperty("hendelser").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();

    [Fact]
    public async Task Bad_input_is_answered_with_problem_details_not_a_500()
    {
        using var unreadable = ContainerSystem.Request(HttpMethod.Post, "api/cases", _caseworker, new { householdName = 42 });
        using var answer = await system.Gateway.SendAsync(unreadable);
        ((int)answer.StatusCode).ShouldBe(400);
        answer.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("title").GetString().ShouldBe("The request body could not be read.");
        problem.GetRawText().ShouldContain("householdName");

        var missing = await system.Send(HttpMethod.Get, $"api/cases/{Guid.NewGuid()}", _caseworker);
        missing.Status.ShouldBe(404);
        missing.Body.GetProperty("title").GetString().ShouldBe("Case not found.");

        using var anonymous = await system.Gateway.GetAsync($"api/cases/{Guid.NewGuid()}");
        ((int)anonymous.StatusCode).ShouldBe(401);
    }

    private async Task<string> OpenCase(string household)
    {
        var (status, body) = await system.Send(HttpMethod.Post, "api/cases", _caseworker,
            new { householdName = household, need = new { text = "Vi vil at Sara skal kunne spille fotball igjen.", saidBy = "Mor" } });
        status.ShouldBe(201, body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    private async Task<string> CreateFund(bool reportToBenefitSystem)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var (status, body) = await system.Send(HttpMethod.Post, "api/grants/funds", _approver, new
        {
            name = string.Create(CultureInfo.InvariantCulture, $"Røyktestfond {Guid.NewGuid():N}"),
            owner = "oppvekst",
            periodStart = today.AddYears(-1),
            periodEnd = today.AddYears(1),
            budget = 100_000m,
            approvalThreshold = 5_000m,
            householdCap = 50_000m,
            lowBalanceThreshold = 1_000m,
            reportToBenefitSystem,
        }, Guid.NewGuid().ToString());
        status.ShouldBe(201, body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    private Task<(int Status, JsonElement Body)> GrantsKnow(string caseId) => ContainerSystem.Eventually(
        () => system.Send(HttpMethod.Get, $"api/grants/cases/{caseId}", _caseworker), a => a.Status == 200, "grants to know the case");

    private static object GrantRequest(string fund) => new
    {
        fundId = fund,
        amount = 1500m,
        purpose = "Treningsavgift og utstyr, så Sara kan spille fotball igjen.",
        category = "leisure",
        payee = new { kind = "family", name = "Familien Smoke", accountNumber = "12345678903" },
    };
}
