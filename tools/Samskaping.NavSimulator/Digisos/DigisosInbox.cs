using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Samskaping.NavSimulator.Digisos;

/// <summary>One document the simulator accepted, in arrival order.</summary>
/// <param name="Sequence">Arrival order across all cases (1, 2, …).</param>
/// <param name="Events">Number of events (hendelser) in the document.</param>
public sealed record DigisosReceipt(long Sequence, DateTimeOffset ReceivedAt, int Events, JsonNode Document);

/// <summary>A Digisos case as the simulator holds it. The applicant's identity number is not kept.</summary>
public sealed record DigisosCaseSummary(string DigisosId, string FiksOrgId, DateTimeOffset CreatedAt, int Received, int? LatestEvents);

public sealed record DigisosCaseDetail(string DigisosId, string FiksOrgId, DateTimeOffset CreatedAt, JsonNode? Latest, IReadOnlyList<DigisosReceipt> Receipts);

/// <summary>
/// The simulator's memory of Digisos cases and every status document received for them. Thread-safe. With
/// <c>NavSimulator:DataFile</c> set, every new case and every accepted document is written to that file (and flushed
/// to disk) before the caller answers, and read back at start: a killed simulator comes back knowing what it had
/// accepted, as a real benefit system would.
/// </summary>
public sealed class DigisosInbox : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DigisosCase> _cases = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly DigisosDataFile? _file;
    private long _sequence;

    public DigisosInbox(TimeProvider clock, IOptions<SimulatorOptions> options, ILogger<DigisosInbox> logger)
    {
        _clock = clock;
        if (options.Value.DataFile is { Length: > 0 } path)
        {
            (_file, var records) = DigisosDataFile.Open(path, logger);
            try
            {
                foreach (var (record, line) in records)
                {
                    Replay(record, line);
                }
            }
            catch
            {
                _file.Dispose();
                throw;
            }
        }
    }

    public string Create(string fiksOrgId)
    {
        var id = Guid.NewGuid().ToString();
        lock (_gate)
        {
            var created = new DigisosCase(id, fiksOrgId, _clock.GetUtcNow());
            _file?.Append(DigisosRecord.Case(created.DigisosId, created.FiksOrgId, created.CreatedAt));
            _cases[id] = created;
        }
        return id;
    }

    /// <summary>False when the case does not exist for this organisation.</summary>
    public bool Receive(string fiksOrgId, string digisosId, JsonNode document)
    {
        lock (_gate)
        {
            if (!_cases.TryGetValue(digisosId, out var found) || found.FiksOrgId != fiksOrgId)
            {
                return false;
            }
            var events = document["hendelser"] is JsonArray list ? list.Count : 0;
            var receipt = new DigisosReceipt(_sequence + 1, _clock.GetUtcNow(), events, document.DeepClone());
            // On disk first: if writing fails, the document was not accepted and nothing here changed.
            _file?.Append(DigisosRecord.Receipt(digisosId, receipt));
            _sequence = receipt.Sequence;
            found.Receipts.Add(receipt);
            return true;
        }
    }

    public IReadOnlyList<DigisosCaseSummary> Cases()
    {
        lock (_gate)
        {
            return _cases.Values
                .OrderBy(c => c.CreatedAt)
                .Select(c => new DigisosCaseSummary(c.DigisosId, c.FiksOrgId, c.CreatedAt, c.Receipts.Count, c.Receipts.LastOrDefault()?.Events))
                .ToList();
        }
    }

    public DigisosCaseDetail? Find(string digisosId)
    {
        lock (_gate)
        {
            return _cases.TryGetValue(digisosId, out var c)
                ? new DigisosCaseDetail(c.DigisosId, c.FiksOrgId, c.CreatedAt, c.Receipts.LastOrDefault()?.Document.DeepClone(), c.Receipts.ToList())
                : null;
        }
    }

    public void Dispose() => _file?.Dispose();

    /// <summary>One record of the data file, applied at start in the order written.</summary>
    private void Replay(DigisosRecord record, int line)
    {
        switch (record.Kind)
        {
            case DigisosRecord.CaseKind when record.FiksOrgId is { Length: > 0 } fiksOrgId:
                if (!_cases.TryAdd(record.DigisosId, new DigisosCase(record.DigisosId, fiksOrgId, record.At)))
                {
                    throw DigisosDataFile.Damaged(_file!.Path, line, $"case {record.DigisosId} is created a second time");
                }
                break;
            case DigisosRecord.ReceiptKind when record is { Sequence: { } sequence, Events: { } events, Document: { } document }:
                if (!_cases.TryGetValue(record.DigisosId, out var found))
                {
                    throw DigisosDataFile.Damaged(_file!.Path, line, $"a document for case {record.DigisosId}, which was never created");
                }
                if (sequence <= _sequence)
                {
                    throw DigisosDataFile.Damaged(_file!.Path, line, $"receipt number {sequence} after number {_sequence}");
                }
                found.Receipts.Add(new DigisosReceipt(sequence, record.At, events, document));
                _sequence = sequence;
                break;
            default:
                throw DigisosDataFile.Damaged(_file!.Path, line, $"a record of kind '{record.Kind}' without the fields that kind needs");
        }
    }

    private sealed record DigisosCase(string DigisosId, string FiksOrgId, DateTimeOffset CreatedAt)
    {
        public List<DigisosReceipt> Receipts { get; } = [];
    }
}
