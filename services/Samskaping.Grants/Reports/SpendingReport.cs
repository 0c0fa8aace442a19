using System.ComponentModel.DataAnnotations;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Reports;

/// <summary>The grants reports' settings (section <c>Grants:Reports</c>).</summary>
public sealed class ReportOptions
{
    public const string Section = "Grants:Reports";

    /// <summary>No report row or fund total stands for fewer households than this (small-cell suppression).</summary>
    [Range(3, 100)] public int MinimumCellSize { get; set; } = SmallCells.DefaultMinimum;
}

/// <summary>One row of the spending report as counted, with the households behind it, before suppression.</summary>
public sealed class SpendingCell
{
    public Guid FundId { get; set; }
    public string FundName { get; set; } = "";
    public string Sector { get; set; } = "";
    public string Category { get; set; } = "";
    public string Month { get; set; } = "";
    public Guid[] Households { get; set; } = [];
    public int Grants { get; set; }
    public decimal Approved { get; set; }
    public decimal Paid { get; set; }
    public decimal Reserved { get; set; }
    public decimal Released { get; set; }
}

public static class SpendingReport
{
    /// <summary>
    /// Each fund's rows are a table whose total the fund status report publishes (reserved and paid), so the rule of
    /// <see cref="SmallCells"/> applies per fund, counting households: a row of fewer than the minimum is hidden, and so
    /// are the next smallest until the hidden rows together are at least two and cover the minimum of households — the
    /// fund's total minus the shown rows then stands for that many. A household with grants in two rows counts once.
    /// </summary>
    public static IReadOnlyList<SpendingRow> Publish(IReadOnlyList<SpendingCell> cells, int minimum) =>
        [.. cells.GroupBy(c => c.FundId).SelectMany(fund =>
        {
            var rows = fund.ToList();
            var suppression = SmallCells.Apply([.. rows.Select(r => r.Households.Length)], minimum,
                hidden => hidden.SelectMany(i => rows[i].Households).Distinct().Count());
            return rows.Select((r, i) => suppression.Suppressed[i]
                ? new SpendingRow(r.FundId, r.FundName, r.Sector, r.Category, r.Month, true, null, null, null, null, null, null)
                : new SpendingRow(r.FundId, r.FundName, r.Sector, r.Category, r.Month, false, r.Households.Length, r.Grants, r.Approved, r.Paid, r.Reserved, r.Released));
        })];
}
