using System.Text.RegularExpressions;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Documentation;

/// <summary>
/// The documentation is spread over the folders its readers work in, so it links a lot: every relative link in
/// every Markdown file of the repository must reach a file or folder, and a <c>#heading</c> must be a heading there.
/// </summary>
public sealed partial class DocumentationLinksTests
{
    private static readonly string[] NotOurs = ["bin", "obj", "node_modules", ".git", ".samskaping"];

    [Fact]
    public void Every_relative_link_in_the_repositorys_markdown_resolves()
    {
        var files = MarkdownFiles(Repository.Root).ToList();
        files.ShouldContain(f => f.EndsWith("README.md", StringComparison.Ordinal));

        var broken = files.SelectMany(f => BrokenLinks(f, File.ReadAllText(f))).ToList();

        broken.ShouldBeEmpty(string.Join(Environment.NewLine, broken));
    }

    [Fact]
    public void A_link_to_a_missing_file_or_heading_is_found()
    {
        var here = Path.Combine(Repository.Root, "docs", "architecture.md");
        const string text = """
            # Title

            [fine](../README.md), [fine too](#title), [a web page](https://example.org/x), `[not a link](nowhere.md)`
            [gone](missing.md) and [no such heading](../README.md#nothing-like-this)

            ```
            [in a code block](nowhere-either.md)
            ```
            """;

        var broken = BrokenLinks(here, text).ToList();

        broken.Count.ShouldBe(2, string.Join(Environment.NewLine, broken));
        broken.ShouldContain(b => b.Contains("missing.md", StringComparison.Ordinal));
        broken.ShouldContain(b => b.Contains("#nothing-like-this", StringComparison.Ordinal));
    }

    private static IEnumerable<string> BrokenLinks(string file, string text)
    {
        var relative = Path.GetRelativePath(Repository.Root, file);
        foreach (var (line, target) in Links(text))
        {
            if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }
            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var path = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
            var anchor = hash < 0 ? null : target[(hash + 1)..];
            var resolved = path.Length == 0 ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, path));
            if (!File.Exists(resolved) && !Directory.Exists(resolved))
            {
                yield return $"{relative}:{line}: {target} (no such file or folder)";
            }
            else if (anchor is not null && resolved.EndsWith(".md", StringComparison.Ordinal)
                && !Headings(resolved == file ? text : File.ReadAllText(resolved)).Contains(anchor))
            {
                yield return $"{relative}:{line}: {target} (no such heading)";
            }
        }
    }

    /// <summary>Link targets outside code blocks and inline code, with their line numbers.</summary>
    private static IEnumerable<(int Line, string Target)> Links(string text)
    {
        var inCode = false;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
                continue;
            }
            if (inCode)
            {
                continue;
            }
            foreach (Match link in Link().Matches(InlineCode().Replace(lines[i], "")))
            {
                yield return (i + 1, link.Groups["target"].Value);
            }
        }
    }

    /// <summary>The anchors GitHub makes of a file's headings: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static HashSet<string> Headings(string text) =>
        [.. text.Split('\n')
            .Where(l => l.StartsWith('#'))
            .Select(l => l.TrimStart('#').Trim().ToLowerInvariant())
            .Select(h => NotInAnchor().Replace(h, "").Replace(' ', '-'))];

    private static IEnumerable<string> MarkdownFiles(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*.md"))
        {
            yield return file;
        }
        foreach (var sub in Directory.EnumerateDirectories(folder).Where(d => !NotOurs.Contains(Path.GetFileName(d))))
        {
            foreach (var file in MarkdownFiles(sub))
            {
                yield return file;
            }
        }
    }

    [GeneratedRegex(@"\[[^\]]*\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"[^\p{L}\p{N}\s_-]")]
    private static partial Regex NotInAnchor();
}
