using System.Runtime.CompilerServices;

namespace Samskaping.IntegrationTests.Security.Matrix;

/// <summary>
/// The declared authorization policy (<c>policy-table.md</c> beside this file): for each operation, the roles that
/// may call it and what the caller must be to the data. Read from the checked-in file, never from the code under test.
/// </summary>
public sealed class PolicyTable
{
    private PolicyTable(IReadOnlyDictionary<string, PolicyRow> rows, string text) => (Rows, Text) = (rows, text);

    public IReadOnlyDictionary<string, PolicyRow> Rows { get; }

    /// <summary>The file as it is checked in (the docs copy must equal it).</summary>
    public string Text { get; }

    public static string FilePath => Path.Combine(Here(), "policy-table.md");

    /// <summary><c>docs/authorization-matrix.md</c> of the same checkout.</summary>
    public static string DocPath => Path.GetFullPath(Path.Combine(Here(), "..", "..", "..", "..", "docs", "authorization-matrix.md"));

    public static PolicyTable Load()
    {
        var text = File.ReadAllText(FilePath);
        var rows = new Dictionary<string, PolicyRow>(StringComparer.Ordinal);
        var inTable = false;
        foreach (var line in text.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inTable = line == "## The table";
                continue;
            }
            if (!inTable || !line.StartsWith("| ", StringComparison.Ordinal) || line.StartsWith("| Operation", StringComparison.Ordinal))
            {
                continue;
            }
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length != 4)
            {
                throw new FormatException($"A row of the policy table needs 4 cells: {line}");
            }
            var roles = cells[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            var unknown = roles.Except(KnownRoles).ToList();
            if (unknown.Count > 0 || !Relations.Contains(cells[2]))
            {
                throw new FormatException($"Unknown role or relation in the policy table: {line}");
            }
            if (!rows.TryAdd(cells[0], new PolicyRow(cells[0], roles, cells[2])))
            {
                throw new FormatException($"The policy table names {cells[0]} twice.");
            }
        }
        return new PolicyTable(rows, text);
    }

    public static readonly string[] StaffRoles = ["caseworker", "coordinator", "grant-approver", "analyst", "admin", "privacy-officer"];

    private static readonly string[] KnownRoles = [.. StaffRoles, "service", "benefit-system", "citizen"];

    private static readonly HashSet<string> Relations = ["-", "case", "lead", "sector-or-lead", "receiver", "internal", "fund-owner", "waiting", "citizen"];

    private static string Here([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}

/// <summary>One row: who may call <see cref="Key"/>.</summary>
public sealed record PolicyRow(string Key, IReadOnlySet<string> Roles, string Relation);
