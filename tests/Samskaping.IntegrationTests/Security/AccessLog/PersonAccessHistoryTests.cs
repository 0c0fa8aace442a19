using Samskaping.Cases;
using Samskaping.Cases.AccessHistory;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Security.AccessLog;

/// <summary>The merge of the services' access logs into one history, without a database: order, paging, the cursor.</summary>
public sealed class PersonAccessHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly string[] Services = ["cases", "coordination", "grants", "outcomes", "benefits"];
    private static readonly int[] Limits = [1, 3, 7, 50, 500];

    [Fact]
    public void Paging_through_merged_sources_gives_every_entry_once_newest_first_even_with_equal_times()
    {
        var random = new Random(9);
        // Five services, many entries at the same microsecond across and within services.
        var sources = Services.ToDictionary(s => s, s => Enumerable.Range(0, random.Next(0, 40))
                .Select(_ => Entry(s, T0.AddTicks(10 * random.Next(0, 15))))
                .ToList());
        var expected = sources.Values.SelectMany(e => e).Order(PersonAccessHistory.NewestFirst).ToList();

        foreach (var limit in Limits)
        {
            var seen = new List<PersonAccessEntry>();
            Cursor? cursor = null;
            do
            {
                // Each source answers as its SQL does: strictly before the cursor, newest first, limit + 1.
                var (page, next) = PersonAccessHistory.Merge(
                    sources.Values.Select(entries => entries.Where(e => Before(e, cursor)).Order(PersonAccessHistory.NewestFirst).Take(limit + 1)), limit);
                page.Count.ShouldBeLessThanOrEqualTo(limit);
                seen.AddRange(page);
                cursor = next is null ? null : Cursor.Decode(next.Encode());
            }
            while (cursor is not null);

            seen.ShouldBe(expected, $"limit {limit}");
        }
    }

    [Fact]
    public void The_last_page_has_no_cursor_and_an_empty_history_is_one_empty_page()
    {
        var (empty, none) = PersonAccessHistory.Merge([[], []], 10);
        empty.ShouldBeEmpty();
        none.ShouldBeNull();

        var exactlyFull = Enumerable.Range(0, 10).Select(i => Entry("grants", T0.AddSeconds(i))).ToList();
        var (page, next) = PersonAccessHistory.Merge([exactlyFull], 10);
        page.Count.ShouldBe(10);
        next.ShouldBeNull();
        page[0].At.ShouldBe(T0.AddSeconds(9));
    }

    private static PersonAccessEntry Entry(string service, DateTimeOffset at) =>
        new(service, Guid.CreateVersion7(at), at, "worker", "caseworker", "oppvekst", Guid.NewGuid(), null, "read", "test", null);

    // (at, id) < (cursor.At, cursor.Id) as PostgreSQL compares them.
    private static bool Before(PersonAccessEntry e, Cursor? cursor) =>
        cursor is null
        || e.At < cursor.At
        || (e.At == cursor.At && string.CompareOrdinal(e.Id.ToString("N"), cursor.Id.ToString("N")) < 0);
}
