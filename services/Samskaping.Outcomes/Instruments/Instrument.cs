namespace Samskaping.Outcomes.Instruments;

/// <summary>How an item is answered.</summary>
public static class Scales
{
    public const string ZeroToTen = "scale-0-10";
    public const string YesNo = "yes-no";
    public const string Count = "count";

    /// <summary>Free text: the optional follow-up of a negative-effect item. Never scored, never in an event.</summary>
    public const string Text = "text";
}

/// <summary>One question of an instrument version.</summary>
/// <param name="Domain">What the item measures; scores are per domain.</param>
/// <param name="ReverseCoded">A high answer means a worse state (e.g. "I feel lonely"): scored as min + max − value.</param>
/// <param name="NegativeEffect">One of the paradoxes the pilot found; a high answer can alert the coordinator.</param>
/// <param name="FollowUpOf">For a free-text item, the negative-effect item it follows.</param>
public sealed record Item(
    string ItemId,
    int Position,
    string TextNb,
    string TextEn,
    string Scale,
    int? MinValue,
    int? MaxValue,
    string? AnchorLow,
    string? AnchorHigh,
    string Domain,
    bool ReverseCoded,
    bool NegativeEffect,
    string? FollowUpOf,
    string Licence)
{
    public bool IsScored => Scale != Scales.Text;

    /// <summary>The value a score uses: reverse-coded items are flipped so that higher is always "more of the domain".</summary>
    public double Scored(int value) => ReverseCoded ? MinValue!.Value + MaxValue!.Value - value : value;
}

/// <summary>A versioned questionnaire (e.g. "Samskaping core v1"). Immutable once a response uses it.</summary>
public sealed record Instrument(string InstrumentId, int Version, string Name, DateTimeOffset PublishedAt, IReadOnlyList<Item> Items)
{
    /// <summary>Scoring is versioned with the instrument: the norms for RCI are looked up under this key.</summary>
    public string ScoringKey => $"{InstrumentId}-v{Version}";

    public Item? Find(string itemId) => Items.FirstOrDefault(i => i.ItemId == itemId);
}
