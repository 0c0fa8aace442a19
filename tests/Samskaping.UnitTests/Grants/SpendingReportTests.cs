using CsCheck;
using Samskaping.Grants.Reports;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Grants;

public sealed class SpendingReportTests
{
    private const int Minimum = 5;

    private static SpendingCell Cell(Guid fund, string category, params Guid[] households) => new()
    {
        FundId = fund, FundName = "Fond", Sector = "oppvekst", Category = category, Month = "2026-11",
        Households = households, Grants = households.Length, Approved = 100m * households.Length,
    };

    [Fact]
    public void A_household_with_grants_in_several_rows_counts_once_when_hidden_rows_are_added_up()
    {
        var fund = Guid.CreateVersion7();
        var one = Guid.CreateVersion7();
        var many = Enumerable.Range(0, 8).Select(_ => Guid.CreateVersion7()).ToArray();

        // One household in four small rows: four "households" by the rows' counts, but one family.
        var rows = SpendingReport.Publish([Cell(fund, "leisure", many), Cell(fund, "school", one), Cell(fund, "housing", one), Cell(fund, "transport", one), Cell(fund, "health", one)], Minimum);

        // The four hidden rows are one household: the leisure row must go too, or the fund's total minus it would be that household's.
        rows.ShouldAllBe(r => r.Suppressed);
    }

    /// <summary>1 to 3 funds of 1 to 6 rows, each row's households drawn from a pool of 1 to 20 households (so rows share some).</summary>
    private static readonly Gen<List<SpendingCell>> Funds =
        Gen.Select(Gen.Int[1, 20], Gen.Int[1, 8].Array[1, 6]).Array[1, 3].Select(funds => funds.SelectMany(f =>
        {
            var (pool, sizes) = f;
            var fund = Guid.CreateVersion7();
            var households = Enumerable.Range(0, pool).Select(_ => Guid.CreateVersion7()).ToArray();
            return sizes.Select((size, row) => Cell(fund, $"category-{row}", [.. Enumerable.Range(row, size).Select(i => households[i % pool]).Distinct()]));
        }).ToList());

    [Fact]
    public void No_shown_row_and_no_fund_total_minus_the_shown_rows_stands_for_fewer_than_five_households()
    {
        Funds.Sample(cells =>
        {
            var rows = SpendingReport.Publish(cells, Minimum);

            rows.Count.ShouldBe(cells.Count);
            foreach (var fund in cells.GroupBy(c => c.FundId))
            {
                var published = rows.Where(r => r.FundId == fund.Key).ToList();
                var hidden = fund.Where((_, i) => published[i].Suppressed).ToList();
                published.Where(r => !r.Suppressed).ShouldAllBe(r => r.Households >= Minimum && r.Approved != null);
                published.Where(r => r.Suppressed).ShouldAllBe(r => r.Households == null && r.Grants == null && r.Approved == null && r.Paid == null);
                if (fund.SelectMany(c => c.Households).Distinct().Count() < Minimum)
                {
                    hidden.Count.ShouldBe(fund.Count(), "a fund of fewer households hides every row");
                }
                else if (hidden.Count > 0)
                {
                    hidden.Count.ShouldBeGreaterThanOrEqualTo(2, "a single hidden row would be the fund's total minus the rest");
                    hidden.SelectMany(c => c.Households).Distinct().Count().ShouldBeGreaterThanOrEqualTo(Minimum);
                }
            }
        }, iter: 2000);
    }
}
