using System.Globalization;
using System.Security;
using System.Text;

namespace Samskaping.Outcomes.Reports;

/// <summary>The group report as CSV and as an SVG chart a manager can open in a browser.</summary>
public static class ReportFormats
{
    public static string Csv(ChangeReportDto report)
    {
        var negative = report.Total.NegativeEffectPrevalence?.Keys.ToList()
            ?? report.Groups.FirstOrDefault(g => g.NegativeEffectPrevalence is not null)?.NegativeEffectPrevalence!.Keys.ToList() ?? [];
        var sb = new StringBuilder();
        sb.Append("dimension,group,domain,suppressed,n,mean_change,ci95_low,ci95_high,sd_change,effect_size_dz,share_improved,share_unchanged,share_deteriorated");
        foreach (var effect in negative)
        {
            sb.Append(",prevalence_").Append(effect);
        }
        sb.Append('\n');
        foreach (var cell in report.Groups.Append(report.Total))
        {
            sb.Append(Field(report.Dimension)).Append(',').Append(Field(cell.Group)).Append(',').Append(Field(report.Domain)).Append(',')
                .Append(cell.Suppressed ? "true" : "false").Append(',')
                .Append(cell.N?.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Number(cell.MeanChange)).Append(',').Append(Number(cell.CiLow)).Append(',').Append(Number(cell.CiHigh)).Append(',')
                .Append(Number(cell.SdChange)).Append(',').Append(Number(cell.EffectSizeDz)).Append(',')
                .Append(Number(cell.ShareImproved)).Append(',').Append(Number(cell.ShareUnchanged)).Append(',').Append(Number(cell.ShareDeteriorated));
            foreach (var effect in negative)
            {
                sb.Append(',').Append(Number(cell.NegativeEffectPrevalence?.GetValueOrDefault(effect)));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Quote a field when it needs it (RFC 4180).</summary>
    public static string Field(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;

    public static string Number(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("0.####", CultureInfo.InvariantCulture) : "";

    /// <summary>
    /// One row per group: every person's change as a dot, the box from the lower to the upper quartile with the median,
    /// and the mean with its 95 % CI. Hidden groups are named, without numbers. Plain SVG, no script.
    /// </summary>
    public static string Svg(ChangeReportDto report)
    {
        const int left = 260, width = 900, rowHeight = 56, top = 70;
        var cells = report.Groups.Append(report.Total).ToList();
        var height = top + cells.Count * rowHeight + 60;
        var extent = Math.Max(1, Math.Ceiling(cells.SelectMany(c => c.Changes).Select(Math.Abs).DefaultIfEmpty(1).Max()));
        var plotWidth = width - left - 40;
        double X(double change) => left + (change + extent) / (2 * extent) * plotWidth;
        static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"13\">\n");
        sb.Append(CultureInfo.InvariantCulture, $"<title>Change in {Escape(report.Domain)} by {Escape(report.Dimension)}</title>\n");
        sb.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"20\" y=\"28\" font-size=\"17\" font-weight=\"bold\">Change in {Escape(report.Domain)} from baseline to latest, by {Escape(report.Dimension)}</text>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"20\" y=\"48\" fill=\"#555\">Dots: people. Box: quartiles, line: median. Diamond: mean with 95 % CI. Groups under {report.MinimumCellSize} people are hidden.</text>\n");
        var axisY = top + cells.Count * rowHeight;
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(0))}\" y1=\"{top - 10}\" x2=\"{F(X(0))}\" y2=\"{axisY}\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{axisY}\" x2=\"{left + plotWidth}\" y2=\"{axisY}\" stroke=\"#333\"/>\n");
        for (var i = 0; i <= 4; i++)
        {
            var tick = -extent + i * extent / 2;
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(tick))}\" y1=\"{axisY}\" x2=\"{F(X(tick))}\" y2=\"{axisY + 5}\" stroke=\"#333\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(tick))}\" y=\"{axisY + 20}\" text-anchor=\"middle\">{F(tick)}</text>\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotWidth / 2}\" y=\"{axisY + 42}\" text-anchor=\"middle\">change (points)</text>\n");

        for (var row = 0; row < cells.Count; row++)
        {
            var cell = cells[row];
            var y = top + row * rowHeight + rowHeight / 2;
            var label = cell.Suppressed ? $"{cell.Group} (hidden)" : $"{cell.Group} (n = {cell.N})";
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 12}\" y=\"{y + 4}\" text-anchor=\"end\">{Escape(label)}</text>\n");
            if (cell.Suppressed || cell.Changes.Count == 0)
            {
                continue;
            }
            var sorted = cell.Changes.Order().ToList();
            var (q1, median, q3) = (Quantile(sorted, 0.25), Quantile(sorted, 0.5), Quantile(sorted, 0.75));
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(X(q1))}\" y=\"{y - 14}\" width=\"{F(Math.Max(1, X(q3) - X(q1)))}\" height=\"28\" fill=\"#dbe8f5\" stroke=\"#4a7ab0\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(median))}\" y1=\"{y - 14}\" x2=\"{F(X(median))}\" y2=\"{y + 14}\" stroke=\"#1d4f86\" stroke-width=\"2\"/>\n");
            for (var i = 0; i < sorted.Count; i++)
            {
                // Deterministic jitter, so the same report draws the same picture.
                var jitter = ((i * 7919) % 21) - 10;
                sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(X(sorted[i]))}\" cy=\"{y + jitter}\" r=\"2\" fill=\"#333\" fill-opacity=\"0.35\"/>");
            }
            sb.Append('\n');
            if (cell.MeanChange is { } mean && cell.CiLow is { } low && cell.CiHigh is { } high && double.IsFinite(low))
            {
                sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(Math.Max(-extent, low)))}\" y1=\"{y + 20}\" x2=\"{F(X(Math.Min(extent, high)))}\" y2=\"{y + 20}\" stroke=\"#c0392b\" stroke-width=\"2\"/>");
                sb.Append(CultureInfo.InvariantCulture, $"<path d=\"M {F(X(mean))} {y + 15} l 5 5 l -5 5 l -5 -5 z\" fill=\"#c0392b\"/>\n");
            }
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static double Quantile(List<double> sorted, double p)
    {
        var position = (sorted.Count - 1) * p;
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}
