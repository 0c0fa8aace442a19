using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.EndToEnd;

/// <summary>The foundation's slice, end to end through the gateway over the real database and broker.</summary>
[Collection(SystemCollection.Name)]
public sealed class SliceTests(SystemFixture system)
{
    [Fact]
    public async Task Opening_a_case_through_the_gateway_reaches_every_service()
    {
        using var kari = system.Client("oppvekst", "caseworker", subject: "kari-oppvekst");

        var opened = await kari.PostAsJsonAsync("/api/cases", new
        {
            householdName = "Familien Berg",
            need = new { text = "Vi vil at Sara skal kunne spille fotball igjen.", saidBy = "Mor" },
        });

        opened.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await opened.Content.ReadFromJsonAsync<JsonElement>();
        var caseId = body.GetProperty("id").GetGuid();
        opened.Headers.Location!.ToString().ShouldBe($"/api/cases/{caseId}");
        body.GetProperty("status").GetString().ShouldBe("referred");
        body.GetProperty("needs")[0].GetProperty("text").GetString().ShouldBe("Vi vil at Sara skal kunne spille fotball igjen.");
        body.GetProperty("needs")[0].GetProperty("saidBy").GetString().ShouldBe("Mor");

        var read = await kari.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}");
        read.GetProperty("householdName").GetString().ShouldBe("Familien Berg");
        read.GetProperty("participatingSectors").EnumerateArray().Select(s => s.GetString()).ShouldBe(["oppvekst"]);

        var group = await EventuallyOk(kari, $"/api/coordination/cases/{caseId}");
        group.GetProperty("lead").GetProperty("coordinator").GetString().ShouldBe("kari-oppvekst");
        group.GetProperty("lead").GetProperty("sector").GetString().ShouldBe("oppvekst");
        var sector = group.GetProperty("sectors").EnumerateArray().ShouldHaveSingleItem();
        sector.GetProperty("sector").GetString().ShouldBe("oppvekst");
        sector.GetProperty("role").GetString().ShouldBe("lead");

        // Outcomes knows the case (it may be seen) but measures nothing until the case becomes active.
        var schedule = await EventuallyOk(kari, $"/api/outcomes/cases/{caseId}/schedule");
        schedule.GetProperty("measurements").GetArrayLength().ShouldBe(0);

        var grantCase = await EventuallyOk(kari, $"/api/grants/cases/{caseId}");
        grantCase.GetProperty("openedBySector").GetString().ShouldBe("oppvekst");
        var received = await EventuallyOk(kari, $"/api/benefits/cases/{caseId}");
        received.GetProperty("receivedAt").GetDateTimeOffset().ShouldBe(body.GetProperty("openedAt").GetDateTimeOffset());

        // And in the services' own databases: one current lead, the reads access-logged, nothing left unpublished.
        (await system.Database("coordination").Scalar<long>(
            "SELECT count(*) FROM coordination.lead_coordinators WHERE case_id = @c AND until IS NULL", ("c", caseId))).ShouldBe(1);
        (await system.Database("cases").Scalar<long>(
            "SELECT count(*) FROM access.access_log WHERE case_id = @c AND subject = 'kari-oppvekst' AND action IN ('create', 'read')", ("c", caseId))).ShouldBe(2);
        foreach (var service in SystemFixture.ServiceNames)
        {
            await Eventually.True(async () => await system.Database(service).Scalar<long>("SELECT count(*) FROM messaging.outbox WHERE published_at IS NULL") == 0,
                what: $"{service}'s outbox to drain");
        }
    }

    [Fact]
    public async Task A_sector_that_does_not_take_part_gets_404_in_every_service()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        using var outsider = system.Client("helse-velferd", "caseworker");
        var caseId = await OpenCase(kari);
        await EventuallyOk(kari, $"/api/benefits/cases/{caseId}");
        await EventuallyOk(kari, $"/api/grants/cases/{caseId}");
        await EventuallyOk(kari, $"/api/coordination/cases/{caseId}");

        foreach (var path in new[]
        {
            $"/api/cases/{caseId}", $"/api/coordination/cases/{caseId}", $"/api/outcomes/cases/{caseId}/schedule",
            $"/api/grants/cases/{caseId}", $"/api/benefits/cases/{caseId}",
        })
        {
            var response = await outsider.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json", path);
        }
    }

    [Fact]
    public async Task A_signed_token_without_a_subject_is_401_not_500()
    {
        using var client = system.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For("oppvekst", "caseworker", withSubject: false));

        var response = await client.PostAsJsonAsync("/api/cases", new { householdName = "Familien Berg", need = new { text = "hjelp" } });

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task The_gateway_is_ready_when_every_service_is()
    {
        using var anonymous = system.Anonymous();

        var ready = await anonymous.GetFromJsonAsync<JsonElement>("/health/ready");

        ready.GetProperty("status").GetString().ShouldBe("Healthy");
        ready.GetProperty("checks").EnumerateObject().Select(c => c.Name).Order().ShouldBe(SystemFixture.ServiceNames.Order());
    }

    [Fact]
    public async Task A_case_that_does_not_exist_is_404_problem_details()
    {
        using var kari = system.Client("oppvekst", "caseworker");

        var response = await kari.GetAsync($"/api/cases/{Guid.NewGuid()}");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("title").GetString().ShouldBe("Case not found.");
    }

    internal static async Task<Guid> OpenCase(HttpClient client, string household = "Familien Test")
    {
        var response = await client.PostAsJsonAsync("/api/cases", new { householdName = household, need = new { text = "Vi trenger hjelp med lekser." } });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    internal static Task<JsonElement> EventuallyOk(HttpClient client, string path, Func<JsonElement, bool>? done = null) =>
        Eventually.Get(async () =>
        {
            var response = await client.GetAsync(path);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
        }, b => b.ValueKind == JsonValueKind.Object && (done?.Invoke(b) ?? true), what: path);
}
