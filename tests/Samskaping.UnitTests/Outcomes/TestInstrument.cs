using Samskaping.Outcomes.Instruments;

namespace Samskaping.UnitTests.Outcomes;

/// <summary>A small instrument shaped like "Samskaping core v1": one item per kind of thing scoring must handle.</summary>
internal static class TestInstrument
{
    private const string Licence = "Samskaping, CC BY 4.0";

    public static Instrument Core { get; } = new("samskaping-core", 1, "Samskaping core v1", new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero),
    [
        Scale("life-satisfaction", "life-satisfaction", 1),
        Scale("mastery", "mastery", 2),
        Scale("mastery-little-control", "mastery", 3, reverse: true),
        new Item("participation-activities", 4, "Hvor mange faste aktiviteter?", "How many regular activities?", Scales.Count, 0, 30, "0", "30+", "participation-activities", false, false, null, Licence),
        new Item("clear-responsibility", 5, "Vet du hvem som har ansvaret?", "Do you know who is responsible?", Scales.YesNo, 0, 1, "Nei", "Ja", "clear-responsibility", false, false, null, Licence),
        Scale("neg-gratitude-debt", "gratitude-debt", 6, negative: true),
        new Item("neg-gratitude-debt-comment", 7, "Vil du fortelle mer?", "Would you like to tell more?", Scales.Text, null, null, null, null, "gratitude-debt", false, false, "neg-gratitude-debt", Licence),
    ]);

    private static Item Scale(string id, string domain, int position, bool reverse = false, bool negative = false) =>
        new(id, position, id, id, Scales.ZeroToTen, 0, 10, "low", "high", domain, reverse, negative, null, Licence);
}
