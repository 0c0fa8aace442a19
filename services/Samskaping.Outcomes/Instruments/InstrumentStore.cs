using Dapper;
using Npgsql;
using Samskaping.ServiceDefaults;

namespace Samskaping.Outcomes.Instruments;

public sealed class InstrumentStore(NpgsqlDataSource dataSource)
{
    public const string Core = "samskaping-core";

    /// <summary>An instrument id is never longer than this (the document's maxLength).</summary>
    public const int MaxIdLength = 100;

    public async Task<IReadOnlyList<Instrument>> All(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var heads = await connection.QueryAsync<(string InstrumentId, int Version)>(new CommandDefinition(
            "SELECT instrument_id, version FROM outcomes.instruments ORDER BY instrument_id, version", cancellationToken: ct));
        var instruments = new List<Instrument>();
        foreach (var (id, version) in heads)
        {
            instruments.Add((await Load(connection, id, version, ct))!);
        }
        return instruments;
    }

    /// <summary>The instrument version, or the latest version when <paramref name="version"/> is null.</summary>
    public async Task<Instrument?> Find(string instrumentId, int? version, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await Find(instrumentId, version, connection, ct);
    }

    /// <summary>As <see cref="Find(string, int?, CancellationToken)"/>, on the request's connection.</summary>
    public static async Task<Instrument?> Find(string instrumentId, int? version, NpgsqlConnection connection, CancellationToken ct)
    {
        var resolved = version ?? await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT max(version) FROM outcomes.instruments WHERE instrument_id = @instrumentId", new { instrumentId }, cancellationToken: ct));
        return resolved is null ? null : await Load(connection, instrumentId, resolved.Value, ct);
    }

    private static async Task<Instrument?> Load(NpgsqlConnection connection, string instrumentId, int version, CancellationToken ct)
    {
        var head = await connection.QuerySingleOrDefaultAsync<HeadRow>(new CommandDefinition(
            "SELECT name, published_at AS PublishedAt FROM outcomes.instruments WHERE instrument_id = @instrumentId AND version = @version",
            new { instrumentId, version }, cancellationToken: ct));
        if (head is null)
        {
            return null;
        }
        var items = await connection.QueryAsync<Item>(new CommandDefinition(
            """
            SELECT item_id AS ItemId, position, text_nb AS TextNb, text_en AS TextEn, scale, min_value AS MinValue, max_value AS MaxValue,
                   anchor_low AS AnchorLow, anchor_high AS AnchorHigh, domain, reverse_coded AS ReverseCoded,
                   negative_effect AS NegativeEffect, follow_up_of AS FollowUpOf, licence
            FROM outcomes.instrument_items WHERE instrument_id = @instrumentId AND version = @version ORDER BY position
            """, new { instrumentId, version }, cancellationToken: ct));
        return new Instrument(instrumentId, version, head.Name, head.PublishedAt.AsUtc(), items.AsList());
    }

    private sealed record HeadRow(string Name, DateTime PublishedAt);
}
