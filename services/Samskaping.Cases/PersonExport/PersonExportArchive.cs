using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Samskaping.Access;

namespace Samskaping.Cases.PersonExport;

/// <summary>
/// The archive handed to the person: <c>{service}.json</c> for each service, in the service's own shape (machine-readable,
/// for moving the data elsewhere), and <c>sammendrag.html</c>, the same content for a person to read.
/// </summary>
public static class PersonExportArchive
{
    public const string ContentType = "application/zip";
    public const string SummaryFile = "sammendrag.html";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static byte[] Write(ExportScope scope, IReadOnlyList<PersonExportPart> parts, DateTimeOffset now)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var documents = new List<(string Service, JsonElement Part)>();
            foreach (var part in parts)
            {
                var json = JsonSerializer.SerializeToUtf8Bytes(part, Json);
                Add(zip, $"{part.Service}.json", json, now);
                documents.Add((part.Service, JsonDocument.Parse(json).RootElement.Clone()));
            }
            Add(zip, SummaryFile, Encoding.UTF8.GetBytes(ExportSummary.Html(scope, documents, now)), now);
        }
        return buffer.ToArray();
    }

    private static void Add(ZipArchive zip, string name, byte[] content, DateTimeOffset now)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = now;
        using var stream = entry.Open();
        stream.Write(content);
    }
}
