using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Samskaping.Digisos;

/// <summary>One thing wrong with a document: where (a JSON Pointer into the document, "" for the root) and what.</summary>
public sealed record DigisosError(string Path, string Message)
{
    public override string ToString() => $"{(Path.Length == 0 ? "/" : Path)}: {Message}";
}

/// <summary>
/// NAV's JSON schema for <c>digisos-soker.json</c> (draft-06), loaded from the schema files embedded unchanged in this
/// assembly. Every file is registered under the base URI of NAV's repository at the copied commit, so the files'
/// relative <c>$ref</c>s ("parts/version.json", "../../../../types/dato.json") resolve to each other and nothing is
/// ever fetched.
/// </summary>
public static class DigisosSchema
{
    /// <summary>Where the files live in NAV's repository (navikt/soknadsosialhjelp-filformat) at the copied commit.</summary>
    public static readonly Uri BaseUri =
        new("https://raw.githubusercontent.com/navikt/soknadsosialhjelp-filformat/e7112daa6f577a0b9ef178805609f55b239d2082/json/");

    private const string ResourcePrefix = "Schemas/";
    private const string DocumentFile = "digisos/soker/digisos-soker.json";

    private static readonly Lazy<JsonSchema> Schema = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Every schema error in <paramref name="document"/>; empty when it is valid.</summary>
    public static IReadOnlyList<DigisosError> Validate(JsonNode? document)
    {
        var element = JsonSerializer.SerializeToElement(document);
        var results = Schema.Value.Evaluate(element, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        if (results.IsValid)
        {
            return [];
        }
        var errors = new List<DigisosError>();
        Collect(results, errors);
        if (errors.Count == 0)
        {
            errors.Add(new DigisosError("", "The document does not match NAV's digisos-soker schema."));
        }
        return errors.Distinct().ToList();
    }

    /// <summary>
    /// Walks the failing branches. An event (hendelse) is a oneOf over the event types; a failing oneOf would
    /// otherwise report every other event type's mismatch, so only the branch for the event's own "type" is followed
    /// (when the type matches none, the error on "type" itself says so).
    /// </summary>
    private static void Collect(EvaluationResults node, List<DigisosError> errors)
    {
        if (node.IsValid)
        {
            return;
        }
        var path = node.InstanceLocation.ToString();
        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            if (keyword != "oneOf")
            {
                errors.Add(new DigisosError(path, message));
            }
        }
        var children = node.Details ?? [];
        var branches = children.Where(IsOneOfBranch).ToList();
        foreach (var child in children.Where(c => !IsOneOfBranch(c)))
        {
            Collect(child, errors);
        }
        // Event types are distinct enums, so at most one branch matches a present type; several "matching" means
        // the type is missing, which the "required" error above already says.
        var matching = branches.Where(b => !FailsAt(b, path + "/type")).ToList();
        if (matching.Count == 1)
        {
            Collect(matching[0], errors);
        }
    }

    private static bool IsOneOfBranch(EvaluationResults node)
    {
        var evaluationPath = node.EvaluationPath.ToString();
        var slash = evaluationPath.LastIndexOf('/');
        return slash > 0
            && evaluationPath[..slash].EndsWith("/oneOf", StringComparison.Ordinal)
            && int.TryParse(evaluationPath.AsSpan(slash + 1), out _);
    }

    private static bool FailsAt(EvaluationResults node, string instancePath)
    {
        if (node.IsValid)
        {
            return false;
        }
        if (node.InstanceLocation.ToString() == instancePath && node.Errors is { Count: > 0 })
        {
            return true;
        }
        return node.Details?.Any(child => FailsAt(child, instancePath)) == true;
    }

    private static JsonSchema Load()
    {
        var assembly = typeof(DigisosSchema).Assembly;
        var registry = new SchemaRegistry();
        var build = new BuildOptions { SchemaRegistry = registry };
        var documents = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)))
        {
            documents[name[ResourcePrefix.Length..]] = Read(assembly, name);
        }
        if (!documents.TryGetValue(DocumentFile, out var root))
        {
            throw new InvalidOperationException($"The embedded schema {DocumentFile} is missing.");
        }
        // The other files as raw documents: Build resolves the $refs into them, and registers the document schema itself.
        foreach (var (file, json) in documents.Where(d => d.Key != DocumentFile))
        {
            var uri = new Uri(BaseUri, file);
            registry.Register(uri, new JsonElementBaseDocument(json, uri));
        }
        var document = JsonSchema.Build(root, build, new Uri(BaseUri, DocumentFile));
        return document;
    }

    private static JsonElement Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded schema {name} cannot be read.");
        using var json = JsonDocument.Parse(stream);
        return json.RootElement.Clone();
    }
}
