using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.IntegrationTests.Cases;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.IntegrationTests.Security.Matrix;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Citizens;

/// <summary>
/// "My plan": the family's view of what coordination, grants and benefits hold, asked through the cases
/// service's citizen endpoints, each read access-logged by the service that holds the data as the citizen's own.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class CitizenPlanTests(SystemFixture system)
{
    [Fact]
    public async Task A_parent_sees_the_lead_the_sectors_the_measures_a_decision_with_its_letter_a_payment_and_their_benefits()
    {
        var (f, plan) = await PlanFor.Create(system);
        var subject = "innbygger-" + Guid.NewGuid().ToString("N");
        using var parent = Citizen(f.ParentNumber, subject);

        var coordination = await Json(parent, $"/api/cases/citizen/cases/{f.Home}/plan");
        var lead = coordination.GetProperty("lead");
        lead.GetProperty("name").GetString().ShouldBe("Test caseworker");
        lead.GetProperty("sector").GetString().ShouldBe("oppvekst");
        lead.GetProperty("sectorName").GetString().ShouldBe("Oppvekst");
        coordination.GetProperty("sectors").EnumerateArray().Select(s => (s.GetProperty("code").GetString(), s.GetProperty("role").GetString()))
            .ShouldBe([("oppvekst", "lead"), ("helse-velferd", "contributor")]);
        var measures = coordination.GetProperty("measures").EnumerateArray().ToDictionary(m => m.GetProperty("title").GetString()!);
        measures["Leksehjelp to dager i uka"].GetProperty("nextReviewOn").GetString().ShouldBe(MatrixScene.Today(20));
        measures["Leksehjelp to dager i uka"].GetProperty("overdue").GetBoolean().ShouldBeFalse();
        measures["Leksehjelp to dager i uka"].GetProperty("responsibleSector").GetString().ShouldBe("helse-velferd");
        measures["Fotballtrening"].GetProperty("overdue").GetBoolean().ShouldBeTrue();
        coordination.GetProperty("btiLevel").GetInt32().ShouldBe(2);
        coordination.GetRawText().ShouldNotContain("Flere tjenester samarbeider", Case.Sensitive, "the BTI level's reason is the workers' assessment");
        coordination.GetRawText().ShouldNotContain(f.Kari);

        var grants = await Json(parent, $"/api/cases/citizen/cases/{f.Home}/grants");
        grants.GetProperty("householdOnly").GetBoolean().ShouldBeFalse();
        var grant = grants.GetProperty("grants").EnumerateArray().ShouldHaveSingleItem();
        grant.GetProperty("purpose").GetString().ShouldBe("Fotballsko og treningsavgift.");
        grant.GetProperty("status").GetString().ShouldBe("approved");
        var decision = grant.GetProperty("decisions").EnumerateArray().ShouldHaveSingleItem();
        decision.GetProperty("outcome").GetString().ShouldBe("innvilget");
        decision.GetProperty("amount").GetDecimal().ShouldBe(300m);
        decision.GetProperty("letterId").GetGuid().ShouldBe(plan.Letter);
        var payment = grant.GetProperty("payments").EnumerateArray().ShouldHaveSingleItem();
        payment.GetProperty("status").GetString().ShouldBe("paid");
        payment.GetProperty("paidOn").GetString().ShouldBe(MatrixScene.Today(0));
        grants.GetRawText().ShouldNotContain(f.Kari);
        grants.GetRawText().ShouldNotContain(plan.Approver);
        grants.GetRawText().ShouldNotContain("12345678903");

        using var letter = await parent.GetAsync($"/api/cases/citizen/cases/{f.Home}/letters/{plan.Letter}");
        letter.StatusCode.ShouldBe(HttpStatusCode.OK);
        letter.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        var pdf = await letter.Content.ReadAsByteArrayAsync();
        System.Text.Encoding.ASCII.GetString(pdf, 0, 4).ShouldBe("%PDF");

        var benefits = await Json(parent, $"/api/cases/citizen/cases/{f.Home}/benefits");
        var records = benefits.GetProperty("records").EnumerateArray().ToDictionary(r => r.GetProperty("firstName").GetString()!);
        records.Keys.ShouldBe(["Per", "Cecilie"], ignoreOrder: true, "the parent and the child under 15, not the youth of 16");
        records["Per"].GetProperty("relation").GetString().ShouldBe("self");
        var benefit = records["Per"].GetProperty("benefits").EnumerateArray().ShouldHaveSingleItem();
        benefit.GetProperty("type").GetString().ShouldBe("bostotte");
        benefit.GetProperty("monthlyAmount").GetDecimal().ShouldBe(2100m);
        records["Cecilie"].GetProperty("benefits").EnumerateArray().ShouldHaveSingleItem().GetProperty("type").GetString().ShouldBe("barnetrygd");
        benefits.GetRawText().ShouldNotContain(f.ParentNumber);

        // Each service logged the read as the citizen's own, and the citizen sees it in "who looked".
        var looked = (await Json(parent, "/api/cases/citizen/access-log?limit=200")).GetProperty("entries").EnumerateArray().ToList();
        foreach (var service in new[] { "coordination", "grants", "benefits" })
        {
            looked.ShouldContain(e => e.GetProperty("service").GetString() == service && e.GetProperty("byYou").GetBoolean()
                && e.GetProperty("role").GetString() == "citizen" && e.GetProperty("action").GetString() == "read", service);
            (await system.Database(service).Scalar<long>(
                "SELECT count(*) FROM access.access_log WHERE subject = @s AND case_id = @c AND role = 'citizen' AND purpose = 'citizen''s own view'",
                ("s", subject), ("c", f.Home))).ShouldBeGreaterThan(0, service);
        }
    }

    [Fact]
    public async Task Through_a_child_alone_a_parent_sees_the_plan_and_the_childs_benefits_but_not_the_households_money()
    {
        var (f, plan) = await PlanFor.Create(system);
        using var parent = Citizen(f.ParentNumber);

        var coordination = await Json(parent, $"/api/cases/citizen/cases/{f.Other}/plan");
        coordination.GetProperty("lead").GetProperty("sector").GetString().ShouldBe("oppvekst");
        var grants = await Json(parent, $"/api/cases/citizen/cases/{f.Other}/grants");
        grants.GetProperty("householdOnly").GetBoolean().ShouldBeTrue();
        grants.GetProperty("grants").GetArrayLength().ShouldBe(0);
        var benefits = await Json(parent, $"/api/cases/citizen/cases/{f.Other}/benefits");
        var record = benefits.GetProperty("records").EnumerateArray().ShouldHaveSingleItem();
        record.GetProperty("firstName").GetString().ShouldBe("Cecilie");
        record.GetProperty("relation").GetString().ShouldBe("child");
        // The Home case's letter asked for under the other case is another case's letter.
        (await parent.GetAsync($"/api/cases/citizen/cases/{f.Other}/letters/{plan.Letter}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await parent.GetAsync($"/api/cases/citizen/cases/{f.Home}/letters/{Guid.CreateVersion7()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_households_citizen_gets_404_on_every_part_of_the_plan_and_on_the_letter()
    {
        var (f, plan) = await PlanFor.Create(system);
        using var stranger = Citizen(f.UnrelatedNumber);
        using var youth = Citizen(f.YouthNumber);

        string[] paths =
        [
            $"/api/cases/citizen/cases/{f.Home}/plan", $"/api/cases/citizen/cases/{f.Home}/grants",
            $"/api/cases/citizen/cases/{f.Home}/benefits", $"/api/cases/citizen/cases/{f.Home}/letters/{plan.Letter}",
        ];
        foreach (var path in paths)
        {
            (await stranger.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            (await youth.GetAsync(path.Replace(f.Home.ToString(), f.Other.ToString()))).StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
        }
        using var kari = system.Client("oppvekst", "caseworker", f.Kari);
        (await kari.GetAsync(paths[0])).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task When_the_benefit_system_is_down_only_the_benefits_part_is_unavailable_and_it_names_benefits()
    {
        var (f, _) = await PlanFor.Create(system);
        using var parent = Citizen(f.ParentNumber);
        using var simulator = new HttpClient { BaseAddress = system.Simulator };
        (await simulator.PutAsJsonAsync("/simulator/faults", new { mode = "Unavailable", rate = 1.0, delayMilliseconds = 0 })).EnsureSuccessStatusCode();
        try
        {
            using var benefits = await parent.GetAsync($"/api/cases/citizen/cases/{f.Home}/benefits");
            benefits.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            var problem = await benefits.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("unavailable").EnumerateArray().Select(s => s.GetString()).ShouldBe(["benefits"]);
            (await Json(parent, $"/api/cases/citizen/cases/{f.Home}/plan")).GetProperty("lead").ValueKind.ShouldBe(JsonValueKind.Object);
            (await Json(parent, $"/api/cases/citizen/cases/{f.Home}/grants")).GetProperty("grants").GetArrayLength().ShouldBe(1);
        }
        finally
        {
            (await simulator.DeleteAsync("/simulator/faults")).EnsureSuccessStatusCode();
        }
    }

    private HttpClient Citizen(string number, string? subject = null)
    {
        var client = system.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Citizen(number, subject));
        return client;
    }

    private static async Task<JsonElement> Json(HttpClient client, string path)
    {
        // A part is whole or a 503 naming the service that did not answer in time; on a busy machine, ask again.
        using var response = await Eventually.Get(() => client.GetAsync(path),
            r => r.StatusCode != HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(60), $"GET {path} to answer");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"GET {path}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

/// <summary>
/// <see cref="Families"/> with a plan in the Home case: a consent, helse-velferd taking part, two measures (one with its
/// review overdue), BTI level 2, a paid grant with its letter, and benefits in the simulator for Per and Cecilie.
/// </summary>
internal sealed record PlanFor(Guid Letter, string Approver)
{
    public static async Task<(Families Families, PlanFor Plan)> Create(SystemFixture system)
    {
        var f = await Families.Create(system);
        using var kari = system.Client("oppvekst", "caseworker", f.Kari);
        var approver = "godkjenner-" + Guid.NewGuid().ToString("N")[..8];
        using var approverClient = system.Client("oppvekst", "grant-approver", approver);
        var letter = await Build(system, kari, approverClient, f.Home, f.Parent, f.ParentNumber, f.ChildNumber);
        return (f, new PlanFor(letter, approver));
    }

    /// <summary>The plan in case <paramref name="home"/>, set up by <paramref name="kari"/> (its opener, an oppvekst caseworker); its letter's id.</summary>
    public static async Task<Guid> Build(
        SystemFixture system, HttpClient kari, HttpClient approverClient, Guid home, Guid parent, string parentNumber, string childNumber)
    {
        await CaseClient.Consent(kari, home, parent, null, "oppvekst", "helse-velferd");
        (await CaseClient.Move(kari, home, "intake")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CaseClient.Move(kari, home, "active", "Samtykke er gitt.")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually.Get(async () => await kari.PostAsJsonAsync($"/api/coordination/cases/{home}/sectors", new { sector = "helse-velferd" }),
            r => r.StatusCode == HttpStatusCode.Created, what: "helse-velferd to join");
        await Created(kari, $"/api/coordination/cases/{home}/measures", new
        {
            title = "Leksehjelp to dager i uka", responsibleSector = "helse-velferd", startsOn = MatrixScene.Today(1), endsOn = MatrixScene.Today(100),
            nextReviewOn = MatrixScene.Today(20),
        });
        var football = await Created(kari, $"/api/coordination/cases/{home}/measures", new
        {
            title = "Fotballtrening", responsibleSector = "oppvekst", startsOn = MatrixScene.Today(0), nextReviewOn = MatrixScene.Today(0),
        });
        // What the review scheduler writes when a review day has passed without an evaluation.
        (await system.Database("coordination").Scalar<int>(
            """
            INSERT INTO coordination.overdue_reviews (measure_id, due_on, case_id, responsible_sector, detected_at)
            SELECT id, next_review_on, case_id, responsible_sector, now() FROM coordination.measures WHERE id = @m
            RETURNING 1
            """, ("m", football))).ShouldBe(1);
        (await kari.PutAsJsonAsync($"/api/coordination/cases/{home}/bti-level", new { level = 2, reason = "Flere tjenester samarbeider." })).EnsureSuccessStatusCode();

        var fund = await Created(approverClient, "/api/grants/funds", MatrixScene.Fund("Plan-fondet"), idempotent: true);
        using var requested = await Eventually.Get(
            async () => await MatrixScene.Send(kari, HttpMethod.Post, $"/api/grants/cases/{home}/grants", MatrixScene.GrantRequest(fund, 300), idempotent: true),
            r => r.StatusCode == HttpStatusCode.Created, what: "grants to know the case");
        var grant = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var decided = await MatrixScene.Send(kari, HttpMethod.Post, $"/api/grants/grants/{grant}/approve", null, idempotent: true);
        decided.StatusCode.ShouldBe(HttpStatusCode.OK, await decided.Content.ReadAsStringAsync());
        var disbursement = (await decided.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disbursements")[0].GetProperty("id").GetGuid();
        using (var paid = await MatrixScene.Send(kari, HttpMethod.Post, $"/api/grants/disbursements/{disbursement}/paid",
            new { paidOn = MatrixScene.Today(0), paymentReference = "UTB-PLAN-1" }, idempotent: true))
        {
            paid.StatusCode.ShouldBe(HttpStatusCode.OK, await paid.Content.ReadAsStringAsync());
        }
        var letter = (await kari.GetFromJsonAsync<JsonElement>($"/api/grants/grants/{grant}/letters"))[0].GetProperty("id").GetGuid();

        using var simulator = new HttpClient { BaseAddress = system.Simulator };
        (await simulator.PostAsJsonAsync("/simulator/benefits", new
        {
            personident = parentNumber, ytelser = new[] { new { type = "bostotte", belopPerManed = 2100.00m, fom = "2026-01-01", tom = (string?)null } },
        })).EnsureSuccessStatusCode();
        (await simulator.PostAsJsonAsync("/simulator/benefits", new
        {
            personident = childNumber, ytelser = new[] { new { type = "barnetrygd", belopPerManed = 1766.00m, fom = "2026-01-01", tom = (string?)null } },
        })).EnsureSuccessStatusCode();
        return letter;
    }

    private static async Task<Guid> Created(HttpClient client, string path, object body, bool idempotent = false)
    {
        using var response = await MatrixScene.Send(client, HttpMethod.Post, path, body, idempotent);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, $"POST {path}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
