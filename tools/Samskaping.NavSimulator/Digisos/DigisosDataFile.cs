using System.Text.Json;
using System.Text.Json.Nodes;

namespace Samskaping.NavSimulator.Digisos;

/// <summary>
/// One line of the data file: a case created, or a document accepted. The applicant's identity number is not
/// among the fields: the simulator never keeps it.
/// </summary>
internal sealed record DigisosRecord(string Kind, string DigisosId, DateTimeOffset At, string? FiksOrgId = null, long? Sequence = null, int? Events = null, JsonNode? Document = null)
{
    public const string CaseKind = "case";
    public const string ReceiptKind = "receipt";

    public static DigisosRecord Case(string digisosId, string fiksOrgId, DateTimeOffset at) => new(CaseKind, digisosId, at, FiksOrgId: fiksOrgId);

    public static DigisosRecord Receipt(string digisosId, DigisosReceipt receipt) =>
        new(ReceiptKind, digisosId, receipt.ReceivedAt, Sequence: receipt.Sequence, Events: receipt.Events, Document: receipt.Document);
}

/// <summary>
/// The simulator's append-only data file (JSON Lines). Each record is written as one line and flushed through to
/// the disk (<see cref="FileStream.Flush(bool)"/>) before the caller answers. A kill can leave the last line torn
/// (no line end): at start it is ignored, with a warning, and cut off; any other line that is not a valid record
/// stops the start, since a file damaged in the middle would silently lose what was acknowledged.
/// </summary>
internal sealed partial class DigisosDataFile : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly FileStream _stream;

    private DigisosDataFile(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    public string Path { get; }

    /// <summary>Opens (or creates) the file and reads back every complete record, each with its line number.</summary>
    public static (DigisosDataFile File, List<(DigisosRecord Record, int Line)> Records) Open(string configuredPath, ILogger logger)
    {
        var path = System.IO.Path.GetFullPath(configuredPath);
        if (System.IO.Path.GetDirectoryName(path) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var content = new byte[stream.Length];
            stream.ReadExactly(content);
            var records = new List<(DigisosRecord, int)>();
            var start = 0;
            var line = 0;
            while (start < content.Length)
            {
                line++;
                var end = Array.IndexOf(content, (byte)'\n', start);
                if (end < 0)
                {
                    // Torn by a kill mid-write: this record was never acknowledged. Cut it off, so the next record
                    // starts on a line of its own.
                    LogTornLine(logger, path, line, content.Length - start);
                    stream.SetLength(start);
                    break;
                }
                records.Add((Parse(path, line, content.AsSpan(start, end - start)), line));
                start = end + 1;
            }
            stream.Seek(0, SeekOrigin.End);
            LogOpened(logger, path, records.Count);
            return (new DigisosDataFile(path, stream), records);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Appends the record as one line and flushes it to the disk; on failure the file is as it was.</summary>
    public void Append(DigisosRecord record)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(record, Json);
        var before = _stream.Length;
        try
        {
            _stream.Write(bytes);
            _stream.WriteByte((byte)'\n');
            _stream.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            _stream.SetLength(before);
            _stream.Seek(0, SeekOrigin.End);
            throw;
        }
    }

    public static InvalidOperationException Damaged(string path, int line, string what) =>
        new($"NavSimulator:DataFile {path}, line {line}: {what}. The file is damaged before its last line; the simulator does not start with it (move it away to start empty).");

    private static DigisosRecord Parse(string path, int line, ReadOnlySpan<byte> text)
    {
        DigisosRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<DigisosRecord>(text, Json);
        }
        catch (JsonException e)
        {
            throw Damaged(path, line, $"not a record ({e.Message})");
        }
        return record is { Kind: { Length: > 0 }, DigisosId: { Length: > 0 } } ? record : throw Damaged(path, line, "a record without kind or digisosId");
    }

    public void Dispose() => _stream.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Digisos data file {Path} ends in a torn line (line {Line}, {Bytes} bytes without a line end, left by a kill mid-write); it is ignored and cut off")]
    private static partial void LogTornLine(ILogger logger, string path, int line, int bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Digisos data file {Path}: {Records} records read back")]
    private static partial void LogOpened(ILogger logger, string path, int records);
}
