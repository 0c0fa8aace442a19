using Samskaping.Outcomes.Reports;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Outcomes;

public sealed class ResearchExportTests
{
    private const string Key = "a-research-pseudonym-key-of-at-least-32-chars";

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
    public void A_row_carries_an_age_band_and_no_birth_date_or_person_id()
    {
        var person = Guid.CreateVersion7();
        var row = new ExportRow(person, Guid.CreateVersion7(), "baseline", new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero), "guardian", false,
            "samskaping-core", 1, "child", new DateOnly(2015, 3, 4), "oppvekst", 7_500m, 1, 2,
            new Dictionary<string, double> { ["life-satisfaction"] = 7, ["mastery"] = 4.5 });

        var lines = ResearchExport.Csv([row], Key).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        lines[0].ShouldBe("pseudonym,age_band,role,family_type,lead_sector,grant_band,measurement,period,respondent,partial,instrument,version,score_life-satisfaction,score_mastery");
        lines[1].ShouldBe($"{ResearchExport.Pseudonym(person, Key)},6-12,child,one-adult-with-children,oppvekst,5000-19999,baseline,2026-Q4,guardian,false,samskaping-core,1,7,4.5");
        lines[1].ShouldNotContain(person.ToString());
        lines[1].ShouldNotContain("2015");
    }
}
