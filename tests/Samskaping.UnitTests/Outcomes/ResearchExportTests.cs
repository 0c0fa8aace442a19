using CsCheck;
using Samskaping.Outcomes.Reports;
using Samskaping.Outcomes.Scoring;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Outcomes;

public sealed class ResearchExportTests
{
    private const string Key = "a-research-pseudonym-key-of-at-least-32-chars";
    private const int K = 5;
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly string[] QuasiIdentifierColumns = ["age_band", "role", "family_type", "lead_sector", "grant_band", "start_period"];
    private static readonly string[] Sectors = ["oppvekst", "helse-velferd", "kultur", "nav", "frivillighet"];
    private static readonly string[] Roles = ["parent", "guardian", "other-adult", "child", "youth"];

    [Fact]
    public void The_pseudonym_is_stable_per_key_and_differs_between_keys_and_people()
    {
        var person = Guid.Parse("0199a3c2-7d1e-7000-8000-000000000001");

        ResearchExport.Pseudonym(person, Key).ShouldBe(ResearchExport.Pseudonym(person, Key));
        ResearchExport.Pseudonym(person, Key).ShouldNotBe(ResearchExport.Pseudonym(person, Key + "x"));
        ResearchExport.Pseudonym(person, Key).ShouldNotBe(ResearchExport.Pseudonym(Guid.CreateVersion7(), Key));
        ResearchExport.Pseudonym(person, Key).ShouldNotContain(person.ToString("N")[..8]);
    }

    [Fact]
    public void Five_alike_people_are_shown_as_they_are_with_an_age_band_and_no_birth_date_response_date_or_person_id()
    {
        var people = Enumerable.Range(0, K).Select(_ => Guid.CreateVersion7()).ToList();
        var rows = people.Select(p => Row(p, "child", new DateOnly(2015, 3, 4), "oppvekst", 7_500m, adults: 1, children: 2, Start)).ToList();

        var export = ResearchExport.Build(rows, Key, K);

        var lines = export.Csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("pseudonym,age_band,role,family_type,lead_sector,grant_band,start_period,measurement,respondent,partial,instrument,version,score_life-satisfaction,score_mastery");
        lines[1].ShouldBe($"{ResearchExport.Pseudonym(people[0], Key)},6-12,child,one-adult-with-children,oppvekst,5000-19999,2026-Q4,baseline,guardian,false,samskaping-core,1,7,4.5");
        lines.Length.ShouldBe(1 + K);
        (export.Responses, export.People, export.SuppressedPeople).ShouldBe((K, K, 0));
        foreach (var person in people)
        {
            export.Csv.ShouldNotContain(person.ToString());
        }
        export.Csv.ShouldNotContain("2015");
        export.Csv.ShouldNotContain("2026-11-27");
    }

    [Fact]
    public void One_person_unlike_the_others_generalises_the_whole_export_and_is_not_left_out()
    {
        var rows = Enumerable.Range(0, 6).Select(_ => Row(Guid.CreateVersion7(), "parent", new DateOnly(1988, 5, 1), "oppvekst", 0m, 1, 1, Start))
            .Append(Row(Guid.CreateVersion7(), "parent", new DateOnly(1990, 1, 1), "kultur", 0m, 1, 1, Start))
            .ToList();

        var export = ResearchExport.Build(rows, Key, K);

        var table = Parse(export.Csv);
        table.Count.ShouldBe(7);
        table.ShouldAllBe(r => r["lead_sector"] == ExportAnonymity.Any);
        export.SuppressedPeople.ShouldBe(0);
    }

    [Fact]
    public void Fewer_than_k_people_in_all_are_suppressed_and_counted()
    {
        var rows = Enumerable.Range(0, K - 1).Select(_ => Row(Guid.CreateVersion7(), "parent", new DateOnly(1988, 5, 1), "oppvekst", 0m, 1, 1, Start)).ToList();

        var export = ResearchExport.Build(rows, Key, K);

        export.Csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldHaveSingleItem().ShouldStartWith("pseudonym,");
        (export.Responses, export.People, export.SuppressedPeople).ShouldBe((0, 0, K - 1));
    }

    /// <summary>1 to 60 people, each with one to three responses, drawn from every value the quasi-identifiers can take.</summary>
    private static readonly Gen<List<ExportRow>> Populations =
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, 80], Gen.Int[0, 4], Gen.Int[0, 25_000], Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 800], Gen.Int[1, 3])
            .Array[1, 60]
            .Select(people => people.SelectMany(p =>
            {
                var (role, age, sector, paid, adults, children, startDay, responses) = p;
                var person = Guid.CreateVersion7();
                var birth = DateOnly.FromDateTime(Start.UtcDateTime).AddYears(-age).AddDays(-40);
                return Enumerable.Range(0, responses).Select(i => Row(person, Roles[role], birth, Sectors[sector], paid, adults, children,
                    Start.AddDays(startDay + 91 * i), i == 0 ? "baseline" : "follow-up", change: paid % 7 - 3));
            }).ToList());

    [Fact]
    public void Every_quasi_identifier_combination_in_any_export_stands_for_at_least_k_people_and_nobody_is_left_out_for_it()
    {
        Populations.Sample(rows =>
        {
            var export = ResearchExport.Build(rows, Key, K);
            var table = Parse(export.Csv);
            var people = rows.Select(r => r.PersonId).Distinct().Count();

            foreach (var combination in table.GroupBy(r => string.Join(",", QuasiIdentifierColumns.Select(c => r[c]))))
            {
                combination.Select(r => r["pseudonym"]).Distinct().Count().ShouldBeGreaterThanOrEqualTo(K, combination.Key);
            }
            // One person, one set of quasi-identifiers: their rows can't be joined into something finer.
            table.GroupBy(r => r["pseudonym"]).ShouldAllBe(p => p.Select(r => string.Join(",", QuasiIdentifierColumns.Select(c => r[c]))).Distinct().Count() == 1);
            // All or nobody: a few people left out could be recovered from a published total.
            if (people >= K)
            {
                (table.Count, export.People, export.SuppressedPeople).ShouldBe((rows.Count, people, 0));
            }
            else
            {
                (table.Count, export.SuppressedPeople).ShouldBe((0, people));
            }
        }, iter: 500);
    }

    [Fact]
    public void A_group_the_change_report_hides_is_never_named_for_fewer_than_k_people_in_the_export()
    {
        Populations.Sample(rows =>
        {
            var latest = rows.GroupBy(r => r.PersonId).Where(g => g.Count() > 1).Select(g => g.MaxBy(r => r.RecordedAt)!).ToList();
            var byGroup = new Dictionary<string, Func<ExportRow, string>>
            {
                ["lead_sector"] = r => r.LeadSector!,
                ["grant_band"] = r => Dimensions.GrantBandOf(r.Paid),
                ["family_type"] = r => Dimensions.FamilyTypeOf((int)r.Adults, (int)r.Children),
            };
            var table = Parse(ResearchExport.Build(rows, Key, K).Csv);

            foreach (var (column, groupOf) in byGroup)
            {
                var people = latest.Select(r => new PersonOutcome(groupOf(r), r.Scores["life-satisfaction"] - 7, PersonChanges.Unclassified, new HashSet<string>())).ToList();
                var report = ChangeReport.Build(column, "life-satisfaction", people, [], K);
                foreach (var hidden in report.Groups.Where(g => g.Suppressed).Select(g => g.Group))
                {
                    var named = table.Where(r => r[column] == hidden).Select(r => r["pseudonym"]).Distinct().Count();
                    (named == 0 || named >= K).ShouldBeTrue($"hidden {column} '{hidden}' named for {named} people");
                }
            }
        }, iter: 500);
    }

    private static ExportRow Row(Guid person, string role, DateOnly birth, string sector, decimal paid, int adults, int children, DateTimeOffset at,
        string measurement = "baseline", int change = 0) =>
        new(person, Guid.CreateVersion7(), measurement, at, role is "child" or "youth" ? "guardian" : "self", false, "samskaping-core", 1,
            role, birth, sector, paid, adults, children,
            new Dictionary<string, double> { ["life-satisfaction"] = 7 + (measurement == "baseline" ? 0 : change), ["mastery"] = 4.5 });

    private static List<Dictionary<string, string>> Parse(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second))];
    }
}
