using System.Text.Json.Nodes;

namespace Samskaping.NavSimulator.Digisos;

/// <summary>One document the simulator accepted, in arrival order.</summary>
/// <param name="Sequence">Arrival order across all cases (1, 2, …).</param>
/// <param name="Events">Number of events (hendelser) in the document.</param>
public sealed record DigisosReceipt(long Sequence, DateTimeOffset ReceivedAt, int Events, JsonNode Document);

/// <summary>A Digisos case as the simulator holds it. The applicant's identity number is not kept.</summary>
public sealed record DigisosCaseSummary(string DigisosId, string FiksOrgId, DateTimeOffset CreatedAt, int Received, int? LatestEvents);

public sealed record DigisosCaseDetail(string DigisosId, string FiksOrgId, DateTimeOffset CreatedAt, JsonNode? Latest, IReadOnlyList<DigisosReceipt> Receipts);

/// <summary>The simulator's memory of Digisos cases and every status document received for them. Thread-safe.</summary>
public sealed class DigisosInbox(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DigisosCase> _cases = new(StringComparer.Ordinal);
    private long _sequence;

    public string Create(string fiksOrgId)
    {
        var id = Guid.NewGuid().ToString();
        lock (_gate)
        {
            _cases[id] = new DigisosCase(id, fiksOrgId, clock.GetUtcNow());
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
            found.Receipts.Add(new DigisosReceipt(++_sequence, clock.GetUtcNow(), events, document.DeepClone()));
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

    private sealed record DigisosCase(string DigisosId, string FiksOrgId, DateTimeOffset CreatedAt)
    {
        public List<DigisosReceipt> Receipts { get; } = [];
    }
}
