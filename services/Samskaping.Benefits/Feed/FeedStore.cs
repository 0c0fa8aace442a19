using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using Samskaping.Digisos;
using Samskaping.ServiceDefaults;

namespace Samskaping.Benefits.Feed;

/// <summary>A case's status feed: its current document and how far delivery has come.</summary>
public sealed record CaseFeed(
    Guid CaseId,
    int Version,
    int? DeliveredVersion,
    string State,
    string? DigisosId,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    IReadOnlyList<DigisosError> ValidationErrors,
    int Events,
    DateTimeOffset ChangedAt,
    DateTimeOffset? DeliveredAt,
    JsonNode Document);

/// <summary>A feed as operators see it in the list: no document, so no personal data.</summary>
public sealed record FeedSummary(
    Guid CaseId,
    int Version,
    int? DeliveredVersion,
    string State,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    int ValidationErrorCount,
    DateTimeOffset ChangedAt,
    DateTimeOffset? DeliveredAt);

/// <summary>A feed taken for delivery: the version to send and where to send it.</summary>
public sealed record LeasedFeed(Guid CaseId, int Version, string Document, int Events, string? DigisosId, int Attempts);

public static class FeedStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<CaseFeed?> Find(Guid caseId, NpgsqlConnection connection, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<FeedRow>(new CommandDefinition(
            $"SELECT {Columns}, document::text AS Document FROM benefits.feeds WHERE case_id = @caseId",
            new { caseId }, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }
        var errors = row.ValidationErrors is null ? [] : JsonSerializer.Deserialize<List<DigisosError>>(row.ValidationErrors, Json) ?? [];
        return new CaseFeed(row.CaseId, row.Version, row.DeliveredVersion, row.State, row.DigisosId, row.Attempts,
            Due(row), row.LastError, errors, row.Events, row.ChangedAt.AsUtc(), row.DeliveredAt?.AsUtc(), JsonNode.Parse(row.Document!)!);
    }

    /// <summary>
    /// Keeps the version the benefit system received as it was sent, also an older one that arrived after a newer one:
    /// the person's export lists every document sent about them, and the feed row holds only the current version. Not
    /// for a case anonymised meanwhile (the caller holds the feed row's lock, which the anonymisation takes too).
    /// </summary>
    public static Task KeepSent(LeasedFeed feed, string digisosId, DateTimeOffset now, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO benefits.feed_deliveries (case_id, version, digisos_id, delivered_at, document)
            SELECT @CaseId, @Version, @digisosId, @now, @Document::jsonb
            WHERE NOT EXISTS (SELECT 1 FROM benefits.anonymisations a WHERE a.case_id = @CaseId)
            ON CONFLICT (case_id, version) DO NOTHING
            """, new { feed.CaseId, feed.Version, digisosId, now, feed.Document }, tx, cancellationToken: ct));

    /// <summary>Feeds in a state (all when null), the ones needing attention first.</summary>
    public static async Task<IReadOnlyList<FeedSummary>> List(string? state, int limit, NpgsqlConnection connection, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<FeedRow>(new CommandDefinition(
            $"""
            SELECT {Columns}, NULL AS Document FROM benefits.feeds
            WHERE @state::text IS NULL OR state = @state
            ORDER BY attempts DESC, changed_at
            LIMIT @limit
            """, new { state, limit }, cancellationToken: ct));
        return rows.Select(r => new FeedSummary(r.CaseId, r.Version, r.DeliveredVersion, r.State, r.Attempts, Due(r), r.LastError,
            r.ValidationErrors is null ? 0 : JsonSerializer.Deserialize<List<DigisosError>>(r.ValidationErrors, Json)?.Count ?? 0,
            r.ChangedAt.AsUtc(), r.DeliveredAt?.AsUtc())).ToList();
    }

    private static DateTimeOffset? Due(FeedRow row) =>
        row.State is FeedStates.Pending or FeedStates.WaitingForApplicant ? row.NextAttemptAt.AsUtc() : null;

    private const string Columns = """
        case_id AS CaseId, version AS Version, delivered_version AS DeliveredVersion, state AS State, digisos_id AS DigisosId,
        attempts AS Attempts, next_attempt_at AS NextAttemptAt, last_error AS LastError, validation_errors::text AS ValidationErrors,
        events AS Events, changed_at AS ChangedAt, delivered_at AS DeliveredAt
        """;

    private sealed class FeedRow
    {
        public Guid CaseId { get; init; }
        public int Version { get; init; }
        public int? DeliveredVersion { get; init; }
        public string State { get; init; } = "";
        public string? DigisosId { get; init; }
        public int Attempts { get; init; }
        public DateTime NextAttemptAt { get; init; }
        public string? LastError { get; init; }
        public string? ValidationErrors { get; init; }
        public int Events { get; init; }
        public DateTime ChangedAt { get; init; }
        public DateTime? DeliveredAt { get; init; }
        public string? Document { get; init; }
    }
}
