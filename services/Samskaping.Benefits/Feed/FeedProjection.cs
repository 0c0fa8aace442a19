using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Samskaping.Contracts.Benefits;
using Samskaping.Digisos;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Benefits.Feed;

/// <summary>
/// Keeps each case's status document current: rebuilds it from all its facts, and stores it as a new version only
/// when it changed. Every version is checked against NAV's schema and reader rules first; an invalid one is a defect
/// on our side, kept with its errors (state <c>invalid</c>), logged and announced, and never sent.
/// </summary>
public sealed partial class FeedProjection(
    FeedFactStore facts,
    OutboxWriter outbox,
    IOptions<FeedOptions> options,
    TimeProvider clock,
    ILogger<FeedProjection> logger)
{
    /// <summary>NOTIFY channel: PostgreSQL delivers it on commit, so the delivery worker wakes when a version is there to send.</summary>
    public const string Channel = "samskaping_feed";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Rebuilds the case's document inside the caller's transaction. Returns the new version, or null when
    /// nothing changed (or the case has nothing to report).</summary>
    public async Task<int?> Refresh(Guid caseId, NpgsqlTransaction tx, CancellationToken ct)
    {
        var connection = tx.Connection!;
        // One rebuild per case at a time. Each statement after the lock sees every fact committed before it, so the
        // last rebuild to run always includes every fact.
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", new { key = $"benefits.feed:{caseId}" }, tx, cancellationToken: ct));

        var document = StatusDocument.Build(await facts.Load(caseId, tx, ct), options.Value.SystemName, FeedOptions.SystemVersion);
        if (document is null)
        {
            return null;
        }
        var errors = DigisosDocument.Validate(document);
        var now = clock.Now();
        await using var upsert = new NpgsqlCommand(
            """
            INSERT INTO benefits.feeds (case_id, version, document, events, state, validation_errors, next_attempt_at, changed_at)
            VALUES (@caseId, 1, @document, @events, @state, @errors, @now, @now)
            ON CONFLICT (case_id) DO UPDATE SET
                version = feeds.version + 1,
                document = EXCLUDED.document,
                events = EXCLUDED.events,
                state = EXCLUDED.state,
                validation_errors = EXCLUDED.validation_errors,
                attempts = 0,
                next_attempt_at = EXCLUDED.next_attempt_at,
                last_error = NULL,
                changed_at = EXCLUDED.changed_at
            WHERE feeds.document IS DISTINCT FROM EXCLUDED.document
            RETURNING version
            """, connection, tx);
        upsert.Parameters.AddWithValue("caseId", caseId);
        upsert.Parameters.AddWithValue("document", NpgsqlDbType.Jsonb, document.ToJsonString());
        upsert.Parameters.AddWithValue("events", document["hendelser"]!.AsArray().Count);
        upsert.Parameters.AddWithValue("state", errors.Count == 0 ? FeedStates.Pending : FeedStates.Invalid);
        upsert.Parameters.AddWithValue("errors", NpgsqlDbType.Jsonb, errors.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(errors, Json));
        upsert.Parameters.AddWithValue("now", now);
        if (await upsert.ExecuteScalarAsync(ct) is not int version)
        {
            return null;
        }

        if (errors.Count > 0)
        {
            // Paths and the schema's messages only: no values, so no names or account numbers reach the log or the event.
            var detail = string.Join("; ", errors.Select(e => e.ToString()));
            LogInvalidDocument(logger, caseId, version, errors.Count, detail);
            await outbox.Enqueue(new StatusFeedRejected(caseId, version, StatusFeedRejections.InvalidDocument, Truncate(detail), now), tx, ct);
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition($"SELECT pg_notify('{Channel}', '')", transaction: tx, cancellationToken: ct));
        }
        return version;
    }

    /// <summary>Makes a feed that waits for an applicant due now (and wakes the delivery worker on commit).</summary>
    public async Task WakeIfWaitingForApplicant(Guid caseId, NpgsqlTransaction tx, CancellationToken ct)
    {
        var woken = await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE benefits.feeds SET next_attempt_at = @now WHERE case_id = @caseId AND state = 'waiting-for-applicant'",
            new { caseId, now = clock.Now() }, tx, cancellationToken: ct));
        if (woken > 0)
        {
            await tx.Connection!.ExecuteAsync(new CommandDefinition($"SELECT pg_notify('{Channel}', '')", transaction: tx, cancellationToken: ct));
        }
    }

    internal static string Truncate(string text, int max = 2000) => text.Length <= max ? text : text[..(max - 1)] + "…";

    [LoggerMessage(Level = LogLevel.Error, Message = "Status document version {Version} of case {CaseId} fails NAV's schema ({Count} errors) and will not be sent: {Errors}")]
    private static partial void LogInvalidDocument(ILogger logger, Guid caseId, int version, int count, string errors);
}

/// <summary>Where a case's feed stands.</summary>
public static class FeedStates
{
    /// <summary>A version waits to be delivered (also while deliveries fail and are retried).</summary>
    public const string Pending = "pending";

    /// <summary>The Digisos case cannot be created yet: the household has no adult with an identity number.</summary>
    public const string WaitingForApplicant = "waiting-for-applicant";

    /// <summary>The current version was accepted by the benefit system.</summary>
    public const string Delivered = "delivered";

    /// <summary>The current version fails NAV's schema: a defect on our side; not sent.</summary>
    public const string Invalid = "invalid";

    /// <summary>The benefit system refused the current version (4xx); not retried until the document changes.</summary>
    public const string Refused = "refused";

    public static IReadOnlyList<string> All { get; } = [Pending, WaitingForApplicant, Delivered, Invalid, Refused];
}
