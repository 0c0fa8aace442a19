using System.Reflection;
using System.Xml.Linq;
using NetArchTest.Rules;
using Samskaping.Benefits;
using Samskaping.Cases;
using Samskaping.Contracts.Cases;
using Samskaping.Coordination;
using Samskaping.Gateway;
using Samskaping.Grants;
using Samskaping.Outcomes;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests;

/// <summary>One service = one deployable = one database: services share only Contracts and the building blocks.</summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly[] Services =
    [
        typeof(CasesMarker).Assembly, typeof(CoordinationMarker).Assembly, typeof(GrantsMarker).Assembly,
        typeof(OutcomesMarker).Assembly, typeof(BenefitsMarker).Assembly,
    ];

    private static readonly string[] ProductionFolders = ["services", "gateway"];

    private static readonly string[] ServiceNames = [.. Services.Select(a => a.GetName().Name!)];

    public static TheoryData<string> ServiceAssemblies => [.. ServiceNames];

    [Theory]
    [MemberData(nameof(ServiceAssemblies))]
    public void A_service_depends_on_no_other_service(string service)
    {
        var assembly = Services.Single(a => a.GetName().Name == service);
        var others = ServiceNames.Where(n => n != service).ToArray();

        var result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny(others).GetResult();

        result.IsSuccessful.ShouldBeTrue($"{service} uses {string.Join(", ", result.FailingTypeNames ?? [])}");
        assembly.GetReferencedAssemblies().Select(a => a.Name).ShouldNotContain(n => others.Contains(n));
    }

    [Fact]
    public void No_project_under_services_or_gateway_references_a_service_project()
    {
        var root = Repository.Root;
        var projects = Directory.GetFiles(Path.Combine(root, "services"), "*.csproj", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(root, "gateway"), "*.csproj", SearchOption.AllDirectories));

        foreach (var project in projects)
        {
            var references = XDocument.Load(project).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')));
            references.ShouldNotContain(r => ServiceNames.Contains(r), $"{Path.GetFileName(project)} references a service");
        }
    }

    [Fact]
    public void Contracts_depend_on_nothing_of_ours()
    {
        var contracts = typeof(CaseOpened).Assembly;

        contracts.GetReferencedAssemblies().Select(a => a.Name!).ShouldAllBe(n => n.StartsWith("System", StringComparison.Ordinal) || n == "netstandard" || n == "mscorlib");
    }

    [Fact]
    public void Contracts_are_sealed_records()
    {
        var messages = Types.InAssembly(typeof(CaseOpened).Assembly).That().AreClasses().And().AreNotAbstract().GetTypes()
            .Where(t => t.Namespace?.StartsWith("Samskaping.Contracts.", StringComparison.Ordinal) == true);

        messages.ShouldNotBeEmpty();
        messages.ShouldAllBe(t => t.IsSealed && t.GetMethod("<Clone>$") != null);
    }

    [Fact]
    public void Every_message_about_a_case_says_so_by_its_type()
    {
        var messages = Types.InAssembly(typeof(CaseOpened).Assembly).That().AreClasses().And().AreNotAbstract().GetTypes()
            .Where(t => t.GetProperty("CaseId")?.PropertyType == typeof(Guid));

        messages.ShouldNotBeEmpty();
        messages.ShouldAllBe(t => typeof(Samskaping.Contracts.ICaseMessage).IsAssignableFrom(t));
    }

    [Fact]
    public void The_gateway_holds_no_service_code()
    {
        var gateway = typeof(GatewayMarker).Assembly;

        gateway.GetReferencedAssemblies().Select(a => a.Name).ShouldNotContain(n => ServiceNames.Contains(n) || n == "Samskaping.Messaging");
    }

    [Theory]
    [MemberData(nameof(ServiceAssemblies))]
    public void A_service_refuses_with_the_shared_refusal_type_only(string service)
    {
        var assembly = Services.Single(a => a.GetName().Name == service);

        var own = assembly.GetTypes()
            .Where(t => t.Name is "Refusal" or "Outcome`1" or "Result`1" || t.Name.EndsWith("Problems", StringComparison.Ordinal))
            .Select(t => t.FullName);

        own.ShouldBeEmpty($"{service} keeps a refusal vocabulary of its own; use ServiceDefaults' Refusal and Result<T>");
    }

    /// <summary>
    /// A refusal is built by <c>Refusal</c> alone, so its status follows the one rule (docs/architecture.md §5). A 503
    /// is not a refusal of the request: it carries Retry-After and may be written where it arises.
    /// </summary>
    [Fact]
    public void No_service_builds_a_problem_answer_by_hand()
    {
        var services = Path.Combine(Repository.Root, "services");
        var byHand = Directory.GetFiles(services, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains("Samskaping.ServiceDefaults", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(services, f), Line: i + 1, Text: line)))
            .Where(l => (l.Text.Contains("Results.Problem(", StringComparison.Ordinal) || l.Text.Contains("Results.ValidationProblem(", StringComparison.Ordinal))
                && !l.Text.Contains("Status503ServiceUnavailable", StringComparison.Ordinal))
            .Select(l => $"{l.File}:{l.Line}");

        byHand.ShouldBeEmpty();
    }

    /// <summary>
    /// A file a newcomer can read in one sitting: past 300 lines a production file holds more than one idea, and the
    /// second belongs in a file of its own (generated code under obj/ is not ours to split).
    /// </summary>
    [Fact]
    public void No_production_file_is_over_300_lines()
    {
        var tooLong = ProductionFolders
            .SelectMany(folder => Directory.GetFiles(Path.Combine(Repository.Root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (File: Path.GetRelativePath(Repository.Root, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > 300)
            .Select(f => $"{f.File}: {f.Lines} lines");

        tooLong.ShouldBeEmpty();
    }
}
