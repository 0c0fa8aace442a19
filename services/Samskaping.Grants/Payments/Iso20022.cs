using System.Collections.Concurrent;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Samskaping.Grants.Payments;

/// <summary>
/// The ISO 20022 messages grants writes and reads, each checked against its official XSD (carried in
/// <c>Payments/Schemas</c>, see its README for source and terms) with <see cref="XmlSchemaSet"/>.
/// </summary>
public static class Iso20022
{
    public const string Pain001 = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";
    public const string Pain002 = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10";
    public const string Camt054 = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08";

    /// <summary>More schema errors than this in one file say nothing more to the person who sent it.</summary>
    private const int MaxErrors = 10;

    private static readonly ConcurrentDictionary<string, XmlSchemaSet> Schemas = new();

    /// <summary>The short name of a message namespace (pain.002.001.10); null when it is none of ours.</summary>
    public static string? NameOf(string ns) => ns is Pain001 or Pain002 or Camt054 ? ns[(ns.LastIndexOf(':') + 1)..] : null;

    /// <summary>Reads a file from the bank: well-formed XML without a DTD (no entities, no external references), or why not.</summary>
    public static (XDocument? Document, string? Problem) Read(byte[] content)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 50_000_000 };
        try
        {
            using var stream = new MemoryStream(content);
            using var reader = XmlReader.Create(stream, settings);
            return (XDocument.Load(reader, LoadOptions.SetLineInfo), null);
        }
        catch (XmlException e)
        {
            return (null, $"Not well-formed XML: {e.Message}");
        }
    }

    /// <summary>The document's errors against the official schema of its namespace (empty when it is valid).</summary>
    public static IReadOnlyList<string> Validate(XDocument document, string ns)
    {
        var errors = new List<string>();
        document.Validate(SchemaOf(ns), (_, e) =>
        {
            if (errors.Count < MaxErrors)
            {
                errors.Add(e.Exception is { LineNumber: > 0 } x ? $"line {x.LineNumber}, position {x.LinePosition}: {e.Message}" : e.Message);
            }
        });
        return errors;
    }

    private static XmlSchemaSet SchemaOf(string ns) => Schemas.GetOrAdd(ns, static ns =>
    {
        var name = $"{typeof(Iso20022).Namespace}.Schemas.{NameOf(ns)}.xsd";
        using var stream = typeof(Iso20022).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The schema {name} is not embedded.");
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        var set = new XmlSchemaSet { XmlResolver = null };
        set.Add(ns, reader);
        set.Compile();
        return set;
    });
}
