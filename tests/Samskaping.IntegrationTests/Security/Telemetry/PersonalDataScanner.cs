using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace Samskaping.IntegrationTests.Security.Telemetry;

/// <summary>
/// Finds planted personal data in telemetry text: identity and account numbers as digits, however they are spaced or
/// dotted ("150485 12353", "1234.56.78903"); names ignoring case and spacing, also as JSON escapes them (æøå become
/// \u00E6…) and as URLs percent-encode them.
/// </summary>
public sealed class PersonalDataScanner
{
    private readonly List<(string What, Regex Pattern)> _patterns = [];

    public PersonalDataScanner Number(string what, string digits)
    {
        var only = new string([.. digits.Where(char.IsAsciiDigit)]);
        // Not inside a longer run of digits (a port, a timestamp), but any separator between the digits themselves.
        var pattern = @"(?<![0-9])" + string.Join(@"[\s.\-_/]*", only.Select(c => c.ToString())) + @"(?![0-9])";
        _patterns.Add((what, new Regex(pattern, RegexOptions.CultureInvariant)));
        return this;
    }

    public PersonalDataScanner Name(string what, string name)
    {
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // Between words: any spacing, as written, JSON-escaped or URL-encoded.
        const string Gap = @"(?:\s|\+|%20|\\u0020)+";
        foreach (var encode in new Func<string, string>[] { w => w, JavaScriptEncoder.Default.Encode, Uri.EscapeDataString })
        {
            var pattern = string.Join(Gap, words.Select(w => Regex.Escape(encode(w))));
            _patterns.Add((what, new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)));
        }
        return this;
    }

    /// <summary>Each planted value found, with the text it was found in (shortened around the finding).</summary>
    public IReadOnlyList<string> Findings(string source, IEnumerable<string> texts)
    {
        var findings = new List<string>();
        foreach (var text in texts)
        {
            foreach (var (what, pattern) in _patterns)
            {
                if (pattern.Match(text) is { Success: true } match)
                {
                    var start = Math.Max(0, match.Index - 160);
                    var excerpt = text.Substring(start, Math.Min(text.Length - start, match.Length + 320)).ReplaceLineEndings(" ");
                    findings.Add($"{what} in {source}: …{excerpt}…");
                }
            }
        }
        return findings;
    }
}
