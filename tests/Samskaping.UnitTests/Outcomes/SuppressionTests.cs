using System.Xml.Linq;
using CsCheck;
using Samskaping.Outcomes.Reports;
using Samskaping.Outcomes.Scoring;
using Samskaping.ServiceDefaults;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Outcomes;

public sealed class SuppressionTests
{
    private const int Minimum = 5;
    private static readonly string[] NegativeDomains = ["gratitude-debt", "shame"];

    /// <summary>Group sizes (1..8 groups of 1..30 people) and each person's change, turned into a published report.</summary>
    private static readonly Gen<ChangeReportDto> Reports =
        Gen.Int[1, 30].Array[1, 8].SelectMany(sizes =>
            Gen.Int[-10, 10].Array[sizes.Sum()].Select(changes =>
            {
                var people = new List<PersonOutcome>();
                var next = 0;
                for (var g = 0; g < sizes.Length; g++)
                {
                    for (var p = 0; p < sizes[g]; p++)
                    {
                        var change = changes[next++];
                        people.Add(new PersonOutcome($"group-{g}", change,
                            change > 3 ? ChangeClasses.Improved : change < -3 ? ChangeClasses.Deteriorated : ChangeClasses.Unchanged,
                            change < -5 ? new HashSet<string> { "shame" } : new HashSet<string>()));
                    }
                }
                return ChangeReport.Build("sector", "life-satisfaction", people, NegativeDomains, Minimum);
            }));

    [Fact]
    public void No_published_number_lets_anyone_derive_a_group_under_five()
    {
        Reports.Sample(report =>
        {
            // Every shown group has at least five people, and a hidden group shows no number at all.
            foreach (var cell in report.Groups)
            {
                if (cell.Suppressed)
                {
                    new object?[] { cell.N, cell.MeanChange, cell.CiLow, cell.CiHigh, cell.ShareImproved, cell.NegativeEffectPrevalence }.ShouldAllBe(v => v == null);
                }
                else
                {
                    cell.N!.Value.ShouldBeGreaterThanOrEqualTo(Minimum);
                    SharesGiveAwayNoSmallCount(cell);
                }
            }
            if (!report.Total.Suppressed)
            {
                SharesGiveAwayNoSmallCount(report.Total);
            }
            if (report.Total.Suppressed)
            {
                report.Groups.ShouldAllBe(g => g.Suppressed);
                return;
            }

            // What an attacker can compute: total − shown = the hidden groups together.
            var total = report.Total.N!.Value;
            total.ShouldBeGreaterThanOrEqualTo(Minimum);
            var hidden = report.Groups.Count(g => g.Suppressed);
            var hiddenSum = total - report.Groups.Where(g => !g.Suppressed).Sum(g => g.N!.Value);
            if (hidden == 0)
            {
                hiddenSum.ShouldBe(0);
                return;
            }
            // A single hidden group would be the difference itself; hidden groups adding up to under five are a small group together.
            hidden.ShouldBeGreaterThanOrEqualTo(2);
            hiddenSum.ShouldBeGreaterThanOrEqualTo(Minimum);
            // Each hidden group has at least one person (it is listed), so it lies in [1, hiddenSum − (hidden − 1)]:
            // more than one value possible, so no hidden group's size can be derived.
            (hiddenSum - (hidden - 1)).ShouldBeGreaterThan(1);
        }, iter: 2000);
    }

    /// <summary>Within a shown group a share is a count too (share · n): it is 0 or at least five people, and the hidden
    /// shares can't be recovered from the whole; a shown prevalence leaves at least five people on each side.</summary>
    private static void SharesGiveAwayNoSmallCount(GroupCell cell)
    {
        var n = cell.N!.Value;
        var shares = new[] { cell.ShareImproved, cell.ShareUnchanged, cell.ShareDeteriorated };
        var shown = shares.Where(s => s is not null).Select(s => (int)Math.Round(s!.Value * n)).ToList();
        shown.ShouldAllBe(c => c == 0 || c >= Minimum);
        var hidden = shares.Count(s => s is null);
        if (hidden > 0)
        {
            hidden.ShouldBeGreaterThanOrEqualTo(2);
            var hiddenSum = n - shown.Sum();
            hiddenSum.ShouldBeGreaterThanOrEqualTo(Minimum);
            (hiddenSum - (hidden - 1)).ShouldBeGreaterThan(1);
        }
        foreach (var prevalence in cell.NegativeEffectPrevalence!.Values.Where(v => v is not null))
        {
            var reported = (int)Math.Round(prevalence!.Value * n);
            (reported == 0 || reported >= Minimum).ShouldBeTrue();
            (n - reported == 0 || n - reported >= Minimum).ShouldBeTrue();
        }
    }

    [Theory]
    [InlineData(new[] { 3, 10, 12 }, new[] { true, true, false }, false)]   // one small group: the next smallest is hidden with it
    [InlineData(new[] { 2, 2, 20 }, new[] { true, true, true }, false)]     // two hidden add up to 4 < 5: one more
    [InlineData(new[] { 6, 7, 8 }, new[] { false, false, false }, false)]
    [InlineData(new[] { 1, 2 }, new[] { true, true }, true)]                // total under 5: nothing shown
    [InlineData(new[] { 4, 9 }, new[] { true, true }, false)]               // 13 shown as total, both groups hidden
    public void Examples(int[] counts, bool[] suppressed, bool totalSuppressed)
    {
        var result = SmallCells.Apply(counts, Minimum);

        result.Suppressed.ShouldBe(suppressed);
        result.TotalSuppressed.ShouldBe(totalSuppressed);
    }

    [Fact]
    public void The_chart_is_valid_svg_and_names_hidden_groups_without_numbers()
    {
        var people = Enumerable.Range(0, 12).Select(i => new PersonOutcome("oppvekst", i % 5 - 1, ChangeClasses.Unchanged, new HashSet<string>()))
            .Concat(Enumerable.Range(0, 6).Select(i => new PersonOutcome("kultur & fritid", i, ChangeClasses.Improved, new HashSet<string>())))
            .Concat([new PersonOutcome("nav", 9, ChangeClasses.Improved, new HashSet<string>())])
            .ToList();
        var report = ChangeReport.Build("sector", "life-satisfaction", people, NegativeDomains, Minimum);

        var svg = XDocument.Parse(ReportFormats.Svg(report));

        XNamespace ns = "http://www.w3.org/2000/svg";
        svg.Root!.Name.ShouldBe(ns + "svg");
        var labels = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        labels.ShouldContain("nav (hidden)");
        labels.ShouldContain("kultur & fritid (hidden)"); // hidden alongside nav: complementary suppression
        labels.ShouldContain("oppvekst (n = 12)");
        svg.Descendants(ns + "circle").Count().ShouldBe(12 + 19); // oppvekst's people and the total's
    }

    [Fact]
    public void The_csv_has_a_row_per_group_and_the_total_with_empty_numbers_for_hidden_groups()
    {
        var people = Enumerable.Range(0, 8).Select(i => new PersonOutcome("a", i, ChangeClasses.Unchanged, new HashSet<string>()))
            .Concat(Enumerable.Range(0, 7).Select(i => new PersonOutcome("b", -i, ChangeClasses.Unchanged, new HashSet<string> { "shame" })))
            .ToList();

        var csv = ReportFormats.Csv(ChangeReport.Build("family-type", "life-satisfaction", people, NegativeDomains, Minimum)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        csv[0].ShouldBe("dimension,group,domain,suppressed,n,mean_change,ci95_low,ci95_high,sd_change,effect_size_dz,share_improved,share_unchanged,share_deteriorated,prevalence_gratitude-debt,prevalence_shame");
        csv.Length.ShouldBe(4);
        csv[1].ShouldStartWith("family-type,a,life-satisfaction,false,8,3.5,");
        csv[3].ShouldStartWith("family-type,total,life-satisfaction,false,15,");
        csv[3].ShouldEndWith(",0,0.4667"); // 7 of 15 reported shame
    }
}
