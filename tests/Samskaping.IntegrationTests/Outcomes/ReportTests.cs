using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Samskaping.Contracts.Grants;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.Outcomes;
using Samskaping.Outcomes.Reports;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Outcomes;

/// <summary>Group reports and the research export for analysts, from responses recorded through the API.</summary>
[Collection(OutcomesCollection.Name)]
public sealed class ReportTests(OutcomesSystem system) : IAsyncLifetime
{
    // Seeded once for the class (xunit makes an instance per test); the collection's tests run one at a time.
    private static readonly SemaphoreSlim Seeding = new(1, 1);
    private static readonly List<Guid> People = [];

    /// <summary>
    /// Three oppvekst cases and three nav cases (six people each) and one kultur case (two people), each person
    /// answering the baseline and, three months on, the 3-month follow-up. Oppvekst's cases got a 7 500 NOK grant.
    /// </summary>
    public async Task InitializeAsync()
    {
        await Seeding.WaitAsync();
        try
        {
            if (People.Count == 0)
            {
                await Seed();
            }
        }
        finally
        {
            Seeding.Release();
        }
    }

    private async Task Seed()
    {
        // Life satisfaction baseline → follow-up; oppvekst changes 5, 5, 4, 2, 0, −1 (mean 2.5).
        var plan = new (string Sector, (int, int)[] Scores)[]
        {
            ("oppvekst", [(3, 8), (3, 8)]), ("oppvekst", [(3, 7), (3, 5)]), ("oppvekst", [(3, 3), (3, 2)]),
            ("nav", [(5, 5), (5, 6)]), ("nav", [(5, 4), (5, 5)]), ("nav", [(5, 9), (5, 1)]),
            ("kultur", [(2, 9), (2, 9)]),
        };
        var followUps = new List<(string Sector, Guid CaseId, Guid Measurement, Guid Person, string Respondent, int Score)>();
        foreach (var (sector, scores) in plan)
        {
            using var worker = system.Client(sector, "caseworker");
            var (caseId, mother, child) = await system.OpenCase(sector);
            await system.Activate(caseId);
            if (sector == "oppvekst")
            {
                await system.Publish(new DisbursementPaid(caseId, Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), 7_500m,
                    DateOnly.FromDateTime(system.Clock.GetUtcNow().UtcDateTime), "ref", system.Clock.GetUtcNow()));
            }
            var baseline = await system.MeasurementId(caseId, "baseline");
            var followUp = await system.MeasurementId(caseId, "follow-up", 3);
            foreach (var (person, (before, after)) in new[] { mother, child }.Zip(scores))
            {
                var respondent = person == child ? "guardian" : "self";
                await Answer(worker, caseId, baseline, person, respondent, before, shame: 1);
                followUps.Add((sector, caseId, followUp, person, respondent, after));
                People.Add(person);
            }
        }
        // A follow-up is answered when it is due, not on the day the help starts.
        system.Clock.Advance(TimeSpan.FromDays(92));
        foreach (var (sector, caseId, followUp, person, respondent, after) in followUps)
        {
            using var worker = system.Client(sector, "caseworker");
            await Answer(worker, caseId, followUp, person, respondent, after, shame: sector == "nav" ? 9 : 2);
        }
        await Eventually.True(async () => await system.Database.Scalar<long>("SELECT count(*) FROM outcomes.disbursements_paid") >= 3, what: "the grants to be known");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task By_sector_a_small_group_and_its_complement_are_hidden_and_the_rest_is_shown_with_its_statistics()
    {
        using var analyst = system.Client("oppvekst", "analyst");

        var report = await analyst.GetFromJsonAsync<JsonElement>("/api/outcomes/reports/change?by=sector&domain=life-satisfaction");

        var groups = report.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("group").GetString()!);
        groups["kultur"].GetProperty("suppressed").GetBoolean().ShouldBeTrue();
        groups["kultur"].GetProperty("n").ValueKind.ShouldBe(JsonValueKind.Null);
        // kultur (2) alone would be total − the others: nav (6, the next smallest, first by name on a tie) is hidden too.
        groups["nav"].GetProperty("suppressed").GetBoolean().ShouldBeTrue();
        var oppvekst = groups["oppvekst"];
        oppvekst.GetProperty("n").GetInt32().ShouldBe(6);
        // changes 5, 5, 4, 2, 0, −1: mean 15 / 6 = 2.5; SD = √((6.25 + 6.25 + 2.25 + 0.25 + 6.25 + 12.25) / 5) = √6.7 = 2.588436
        // 95 % CI = 2.5 ± 2.571 · 2.588436 / √6 = 2.5 ± 2.571 · 1.056725 = 2.5 ± 2.716839; d_z = 2.5 / 2.588436 = 0.965834
        oppvekst.GetProperty("meanChange").GetDouble().ShouldBe(2.5, 1e-9);
        oppvekst.GetProperty("sdChange").GetDouble().ShouldBe(2.588436, 1e-6);
        oppvekst.GetProperty("ciLow").GetDouble().ShouldBe(-0.216839, 1e-6);
        oppvekst.GetProperty("ciHigh").GetDouble().ShouldBe(5.216839, 1e-6);
        oppvekst.GetProperty("effectSizeDz").GetDouble().ShouldBe(0.965834, 1e-6);
        // RCI criterion: 1.96 · S_diff = 1.96 · 1.471734 = 2.8846 points; 5, 5, 4 improved; 2, 0, −1 unchanged: three and
        // three people, each under five, so both shares are hidden within the group; nobody deteriorated (0 is shown).
        oppvekst.GetProperty("shareImproved").ValueKind.ShouldBe(JsonValueKind.Null);
        oppvekst.GetProperty("shareUnchanged").ValueKind.ShouldBe(JsonValueKind.Null);
        oppvekst.GetProperty("shareDeteriorated").GetDouble().ShouldBe(0);
        oppvekst.GetProperty("negativeEffectPrevalence").GetProperty("shame").GetDouble().ShouldBe(0);
        report.GetProperty("total").GetProperty("n").GetInt32().ShouldBe(14);
        // nav's six people all reported shame 9 at follow-up: 6 of 14.
        report.GetProperty("total").GetProperty("negativeEffectPrevalence").GetProperty("shame").GetDouble().ShouldBe(6.0 / 14, 1e-9);
    }

    [Fact]
    public async Task By_grant_band_and_family_type_in_csv_and_as_a_chart()
    {
        using var analyst = system.Client("nav", "analyst");

        var csv = await analyst.GetStringAsync("/api/outcomes/reports/change?by=grant-band&format=csv");
        var svgResponse = await analyst.GetAsync("/api/outcomes/reports/change?by=family-type&domain=mastery&format=svg");

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldContain(l => l.StartsWith("grant-band,5000-19999,life-satisfaction,false,6,2.5,", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith("grant-band,none,life-satisfaction,false,8,", StringComparison.Ordinal));
        svgResponse.Content.Headers.ContentType!.MediaType.ShouldBe("image/svg+xml");
        var svg = XDocument.Parse(await svgResponse.Content.ReadAsStringAsync());
        svg.Root!.Name.LocalName.ShouldBe("svg");
        svg.Root.Descendants().Where(e => e.Name.LocalName == "text").Select(t => t.Value).ShouldContain("one-adult-with-children (n = 14)");

        var byPeriod = await analyst.GetFromJsonAsync<JsonElement>("/api/outcomes/reports/change?by=period");
        byPeriod.GetProperty("total").GetProperty("n").GetInt32().ShouldBe(14);
        byPeriod.GetProperty("groups").EnumerateArray().ShouldAllBe(g => System.Text.RegularExpressions.Regex.IsMatch(g.GetProperty("group").GetString()!, @"^\d{4}-Q[1-4]$"));
    }

    [Fact]
    public async Task By_respondent_the_people_who_answered_themselves_and_those_a_guardian_answered_for_are_compared()
    {
        using var analyst = system.Client("oppvekst", "analyst");

        var report = await analyst.GetFromJsonAsync<JsonElement>("/api/outcomes/reports/change?by=respondent");

        report.GetProperty("dimension").GetString().ShouldBe("respondent");
        var groups = report.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("group").GetString()!);
        // The seed's mothers answered for themselves (self), the children's answers were given by a guardian: seven each.
        groups.Keys.ShouldBe(["guardian", "self"], ignoreOrder: true);
        groups["self"].GetProperty("n").GetInt32().ShouldBe(7);
        groups["guardian"].GetProperty("n").GetInt32().ShouldBe(7);
        // Mothers, the first of each pair in the seed: 3→8, 3→7, 3→3, 5→5, 5→4, 5→9, 2→9: 5+4+0+0−1+4+7 = 19 / 7.
        groups["self"].GetProperty("meanChange").GetDouble().ShouldBe(19.0 / 7, 1e-9);
        // Children: 3→8, 3→5, 3→2, 5→6, 5→5, 5→1, 2→9: 5+2−1+1+0−4+7 = 10 / 7.
        groups["guardian"].GetProperty("meanChange").GetDouble().ShouldBe(10.0 / 7, 1e-9);
        report.GetProperty("total").GetProperty("n").GetInt32().ShouldBe(14);
    }

    [Fact]
    public async Task The_research_export_is_pseudonymised_and_access_logged()
    {
        using var analyst = system.Client("oppvekst", "analyst", "ada-analyst");

        var response = await analyst.GetAsync("/api/outcomes/reports/research-export");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var csv = await response.Content.ReadAsStringAsync();
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("pseudonym,age_band,role,family_type,lead_sector,grant_band,start_period,measurement,respondent,partial,instrument,version,");
        foreach (var person in People)
        {
            csv.ShouldNotContain(person.ToString());
            lines.Count(l => l.StartsWith(ResearchExport.Pseudonym(person, OutcomesSystem.PseudonymKey) + ",", StringComparison.Ordinal)).ShouldBe(2);
        }
        csv.ShouldNotContain("1988");
        (await system.Database.Scalar<long>("SELECT count(*) FROM access.access_log WHERE subject = 'ada-analyst' AND action = 'export'")).ShouldBe(1);
    }

    [Fact]
    public async Task Every_quasi_identifier_combination_in_the_research_export_stands_for_at_least_five_people()
    {
        using var analyst = system.Client("oppvekst", "analyst");

        var export = ExportTable.Parse(await analyst.GetStringAsync("/api/outcomes/reports/research-export"));

        export.Rows.ShouldNotBeEmpty();
        foreach (var combination in export.Rows.GroupBy(export.QuasiIdentifiers))
        {
            combination.Select(r => r["pseudonym"]).Distinct().Count().ShouldBeGreaterThanOrEqualTo(5, $"people with {combination.Key}");
        }
    }

    [Fact]
    public async Task A_group_the_change_report_hides_can_not_be_singled_out_in_the_research_export()
    {
        using var analyst = system.Client("oppvekst", "analyst");
        var export = ExportTable.Parse(await analyst.GetStringAsync("/api/outcomes/reports/research-export"));

        // The dimensions the change report and the export share, and the export's column for each.
        foreach (var (dimension, column) in new[] { ("sector", "lead_sector"), ("grant-band", "grant_band"), ("family-type", "family_type") })
        {
            var report = await analyst.GetFromJsonAsync<JsonElement>($"/api/outcomes/reports/change?by={dimension}");
            var hidden = report.GetProperty("groups").EnumerateArray()
                .Where(g => g.GetProperty("suppressed").GetBoolean()).Select(g => g.GetProperty("group").GetString()!).ToList();
            if (dimension == "sector")
            {
                hidden.ShouldContain("kultur", "the seed's kultur case has two people");
            }
            foreach (var group in hidden)
            {
                // Shown under its own name, a hidden group must be at least five people; otherwise it is not named at all.
                var people = export.Rows.Where(r => r[column] == group).Select(r => r["pseudonym"]).Distinct().Count();
                (people == 0 || people >= 5).ShouldBeTrue($"{people} people of hidden {dimension} group '{group}' are named in the export");
            }
        }
    }

    [Fact]
    public async Task Caseworkers_get_no_reports_and_bad_report_parameters_are_422_naming_each()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        using var analyst = system.Client("oppvekst", "analyst");

        (await kari.GetAsync("/api/outcomes/reports/change")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await kari.GetAsync("/api/outcomes/reports/research-export")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var bad = await analyst.GetAsync("/api/outcomes/reports/change?by=postcode&domain=happiness&format=xlsx");
        bad.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldBe(["by", "domain", "format"], ignoreOrder: true);
    }

    [Fact]
    public async Task Per_person_change_for_the_caseworker_with_the_reliable_change_index()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var caseId = await system.Database.Scalar<Guid>(
            "SELECT r.case_id FROM outcomes.responses r JOIN outcomes.domain_scores s ON s.response_id = r.id WHERE s.domain = 'life-satisfaction' AND s.score = 8 LIMIT 1");

        var change = await kari.GetFromJsonAsync<JsonElement>($"/api/outcomes/cases/{caseId}/change");

        var domains = change.GetProperty("people").EnumerateArray()
            .Select(p => p.GetProperty("domains").EnumerateArray().Single(d => d.GetProperty("domain").GetString() == "life-satisfaction")).ToList();
        domains.Count.ShouldBe(2);
        // 3 → 8: RCI = 5 / 1.471734 = 3.3974
        domains.ShouldAllBe(d => d.GetProperty("classification").GetString() == "improved");
        domains[0].GetProperty("index").GetDouble().ShouldBe(3.3974, 1e-4);
    }

    [Fact]
    public void The_service_does_not_start_without_a_pseudonym_key_and_says_why()
    {
        using var factory = new ServiceFactory<OutcomesMarker>(new Dictionary<string, string?>
        {
            ["Auth:Issuer"] = TestEnvironment.Issuer,
            ["Auth:Audience"] = TestEnvironment.Audience,
            ["Auth:SigningKey"] = TestEnvironment.SigningKey,
            ["ConnectionStrings:Database"] = "Host=127.0.0.1;Database=never_used",
            ["ConnectionStrings:RabbitMq"] = TestEnvironment.RabbitMq,
            ["Outcomes:PseudonymKey"] = "",
        }, realPort: false);

        var failure = Should.Throw<Exception>(() => factory.Server);

        failure.ToString().ShouldContain("Outcomes:PseudonymKey is missing");
    }

    /// <summary>The research export's CSV as rows of named fields (it has no quoted fields: codes and numbers only).</summary>
    private sealed record ExportTable(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyDictionary<string, string>> Rows)
    {
        /// <summary>What someone who knows a family could know about one of its members: every column but the pseudonym,
        /// the answers and what only the form knows (which measurement, who filled it in, partial, instrument).</summary>
        private static readonly string[] NotQuasiIdentifiers = ["pseudonym", "measurement", "respondent", "partial", "instrument", "version"];

        public static ExportTable Parse(string csv)
        {
            var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var header = lines[0].Split(',');
            return new ExportTable(header, [.. lines.Skip(1).Select(l => (IReadOnlyDictionary<string, string>)header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second))]);
        }

        public string QuasiIdentifiers(IReadOnlyDictionary<string, string> row) =>
            string.Join(",", Header.Where(c => !NotQuasiIdentifiers.Contains(c) && !c.StartsWith("score_", StringComparison.Ordinal)).Select(c => $"{c}={row[c]}"));
    }

    private static async Task Answer(HttpClient worker, Guid caseId, Guid measurementId, Guid person, string respondent, int lifeSatisfaction, int shame)
    {
        var response = await worker.PostAsJsonAsync($"/api/outcomes/cases/{caseId}/measurements/{measurementId}/responses", new
        {
            personId = person,
            respondent,
            answers = new[]
            {
                new { itemId = "life-satisfaction", value = lifeSatisfaction },
                new { itemId = "mastery", value = lifeSatisfaction },
                new { itemId = "neg-shame", value = shame },
            },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}
