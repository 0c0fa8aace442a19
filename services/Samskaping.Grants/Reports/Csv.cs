using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Samskaping.Grants.Reports;

/// <summary>RFC 4180 CSV of report rows: one header line of the JSON property names, then one line per row.</summary>
public static class Csv
{
    public const string MediaType = "text/csv";

    public static string Write<T>(IEnumerable<T> rows)
    {
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance);
        var sb = new StringBuilder();
        sb.AppendJoin(',', properties.Select(p => Escape(JsonNamingPolicy.CamelCase.ConvertName(p.Name)))).Append("\r\n");
        foreach (var row in rows)
        {
            sb.AppendJoin(',', properties.Select(p => Escape(Format(p.GetValue(row))))).Append("\r\n");
        }
        return sb.ToString();
    }

    /// <summary>CSV when asked for with <c>?format=csv</c> or <c>Accept: text/csv</c>; JSON otherwise.</summary>
    public static bool Wanted(HttpRequest request, string? format) =>
        string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
        || (format is null && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase)));

    private static string Format(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        decimal d => d.ToString("F2", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    // Quotes a field that needs it; a leading =, +, - or @ is prefixed with ' so a spreadsheet never runs it as a formula.
    private static string Escape(string field)
    {
        if (field.Length > 0 && field[0] is '=' or '+' or '@' && !decimal.TryParse(field, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
        {
            field = "'" + field;
        }
        return field.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }
}
