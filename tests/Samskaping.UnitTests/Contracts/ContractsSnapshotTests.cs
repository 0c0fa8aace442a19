using System.Reflection;
using System.Text;
using Samskaping.Contracts;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Contracts;

/// <summary>
/// Samskaping.Contracts changes only by addition. The services are released one at a time — a sector may run its
/// own service as a release of its own (docs/operations.md) — so a message written by one release is read by
/// another, and outbox rows and queued messages outlive a deployment. The public surface of the contracts is kept
/// in contracts.snapshot.txt; every line of it must still be true, and a field added to an existing message must
/// be optional, because messages from older releases lack it.
/// </summary>
public sealed class ContractsSnapshotTests
{
    private const string UpdateVariable = "SAMSKAPING_UPDATE_CONTRACTS_SNAPSHOT";
    private static readonly string SnapshotFile = Path.Combine(Repository.Root, "tests", "Samskaping.UnitTests", "Contracts", "contracts.snapshot.txt");

    [Fact]
    public void The_contracts_change_only_by_addition_and_the_snapshot_is_current()
    {
        var current = ContractSurface.Of(typeof(ICaseMessage).Assembly);
        var snapshot = File.ReadAllLines(SnapshotFile).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var change = ContractSurface.Compare(snapshot, current);

        change.Breaking.ShouldBeEmpty(
            "Samskaping.Contracts changed in a way older releases cannot read (a type, member or constant removed, renamed or "
            + "retyped, or a new required field). Add instead: a new optional field, or a new message type beside the old one. "
            + "The snapshot must not be edited to hide this.");
        if (change.Added.Count > 0 && Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(SnapshotFile, ContractSurface.Render(current));
            return;
        }
        change.Added.ShouldBeEmpty(
            $"Samskaping.Contracts grew (additive, fine): record it in {Path.GetRelativePath(Repository.Root, SnapshotFile)} with "
            + $"{UpdateVariable}=1 ./samskaping test --filter \"FullyQualifiedName~ContractsSnapshotTests\", and commit the file.");
    }

    [Fact]
    public void A_removed_or_retyped_member_or_a_new_required_field_is_breaking_and_a_new_optional_field_or_type_is_not()
    {
        string[] snapshot =
        [
            "record Samskaping.Contracts.X.Paid",
            "  Samskaping.Contracts.X.Paid.Amount: System.Decimal",
            "  Samskaping.Contracts.X.Paid.Note: System.String",
            "class Samskaping.Contracts.X.Kinds",
            "  const Samskaping.Contracts.X.Kinds.Cash = \"cash\"",
        ];
        string[] current =
        [
            "record Samskaping.Contracts.X.Paid",
            "  Samskaping.Contracts.X.Paid.Amount: System.Int64",
            "  Samskaping.Contracts.X.Paid.Reference: System.String optional",
            "  Samskaping.Contracts.X.Paid.PaidBy: System.String",
            "class Samskaping.Contracts.X.Kinds",
            "  const Samskaping.Contracts.X.Kinds.Cash = \"kontant\"",
            "record Samskaping.Contracts.X.Stopped",
            "  Samskaping.Contracts.X.Stopped.Reason: System.String",
        ];

        var change = ContractSurface.Compare(snapshot, current);

        change.Breaking.ShouldBe(
        [
            "changed or removed: Samskaping.Contracts.X.Paid.Amount: System.Decimal",
            "changed or removed: Samskaping.Contracts.X.Paid.Note: System.String",
            "changed or removed: const Samskaping.Contracts.X.Kinds.Cash = \"cash\"",
            "new required field of an existing message: Samskaping.Contracts.X.Paid.PaidBy: System.String",
        ], ignoreOrder: true);
        change.Added.ShouldBe(
        [
            "Samskaping.Contracts.X.Paid.Reference: System.String optional",
            "Samskaping.Contracts.X.Paid.PaidBy: System.String",
            "record Samskaping.Contracts.X.Stopped",
            "Samskaping.Contracts.X.Stopped.Reason: System.String",
            "Samskaping.Contracts.X.Paid.Amount: System.Int64",
            "const Samskaping.Contracts.X.Kinds.Cash = \"kontant\"",
        ], ignoreOrder: true);
    }

    [Fact]
    public void The_surface_names_types_members_nullability_optional_fields_and_constant_values()
    {
        var lines = ContractSurface.Of(typeof(ICaseMessage).Assembly);

        lines.ShouldContain("record Samskaping.Contracts.Cases.CaseOpened : Samskaping.Contracts.ICaseMessage");
        lines.ShouldContain("  Samskaping.Contracts.Cases.CaseOpened.CaseId: System.Guid");
        lines.ShouldContain("  Samskaping.Contracts.Cases.CaseOpened.HouseholdId: System.Guid? optional");
        lines.ShouldContain("  Samskaping.Contracts.Cases.CaseOpened.ReferralSource: System.String? optional");
        lines.ShouldContain("  const Samskaping.Contracts.Sectors.Nav = \"nav\"");
        lines.ShouldContain("  static Samskaping.Contracts.Sectors.IsKnown(System.String?): System.Boolean");
    }
}

/// <summary>The public surface of a contracts assembly as sorted lines, and how two such surfaces differ.</summary>
internal static class ContractSurface
{
    public sealed record Change(List<string> Breaking, List<string> Added);

    public static List<string> Of(Assembly assembly)
    {
        var lines = new List<string>();
        var nullability = new NullabilityInfoContext();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var isRecord = type.GetMethod("<Clone>$") is not null;
            var kind = type.IsInterface ? "interface" : isRecord ? "record" : "class";
            // The contracts' own interfaces; the compiler's IEquatable<T> on records is no contract.
            var bases = type.GetInterfaces().Where(i => i.Assembly == assembly).Select(i => i.FullName).Order(StringComparer.Ordinal).ToList();
            lines.Add($"{kind} {type.FullName}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : "")}");

            var optional = type.GetConstructors().SelectMany(c => c.GetParameters()).Where(p => p.HasDefaultValue).Select(p => p.Name).ToHashSet();
            var members = new List<string>();
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                var isStatic = p.GetMethod?.IsStatic == true;
                members.Add($"  {(isStatic ? "static " : "")}{type.FullName}.{p.Name}: {Name(p.PropertyType, nullability.Create(p))}{(optional.Contains(p.Name) ? " optional" : "")}");
            }
            foreach (var f in type.GetFields(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly).Where(f => f.IsLiteral))
            {
                members.Add($"  const {type.FullName}.{f.Name} = \"{f.GetRawConstantValue()}\"");
            }
            // Records travel as their properties; the compiler's methods on them are no contract.
            if (!isRecord)
            {
                foreach (var m in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly).Where(m => !m.IsSpecialName))
                {
                    var parameters = string.Join(", ", m.GetParameters().Select(p => Name(p.ParameterType, nullability.Create(p))));
                    members.Add($"  {(m.IsStatic ? "static " : "")}{type.FullName}.{m.Name}({parameters}): {Name(m.ReturnType, nullability.Create(m.ReturnParameter))}");
                }
            }
            lines.AddRange(members.Order(StringComparer.Ordinal));
        }
        return lines;
    }

    public static string Render(IEnumerable<string> surface)
    {
        var text = new StringBuilder();
        text.Append("# The public surface of Samskaping.Contracts (ContractsSnapshotTests). Generated: only ever grows.\n");
        foreach (var line in surface)
        {
            text.Append(line).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// Every snapshot line must still be there (else: removed, renamed or retyped); a field new to a message that
    /// existed in the snapshot must be optional. Lines are compared without their leading indentation.
    /// </summary>
    public static Change Compare(IEnumerable<string> snapshot, IEnumerable<string> current)
    {
        var before = snapshot.Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        var now = current.Select(l => l.Trim()).ToList();
        var breaking = before.Where(l => !now.Contains(l)).Select(l => $"changed or removed: {l}").ToList();
        var added = now.Where(l => !before.Contains(l)).ToList();
        var knownRecords = before.Where(l => l.StartsWith("record ", StringComparison.Ordinal))
            .Select(l => l["record ".Length..].Split(' ')[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var line in now.Where(l => !before.Contains(l) && !l.EndsWith(" optional", StringComparison.Ordinal) && !l.StartsWith("const ", StringComparison.Ordinal) && !l.StartsWith("static ", StringComparison.Ordinal)))
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            var owner = colon > 0 ? line[..line.LastIndexOf('.', colon)] : null;
            var wasThere = before.Any(b => colon > 0 && b.StartsWith(line[..colon] + ": ", StringComparison.Ordinal));
            if (owner is not null && knownRecords.Contains(owner) && !wasThere)
            {
                breaking.Add($"new required field of an existing message: {line}");
            }
        }
        return new Change(breaking, added);
    }

    private static string Name(Type type, NullabilityInfo info)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            return Name(inner, info) + "?";
        }
        var name = type.IsGenericType
            ? $"{type.Namespace}.{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select((a, i) => Name(a, info.GenericTypeArguments.Length > i ? info.GenericTypeArguments[i] : info)))}>"
            : type.FullName ?? type.Name;
        return !type.IsValueType && info.ReadState == NullabilityState.Nullable ? name + "?" : name;
    }
}
