using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Access;
using Samskaping.Benefits.People;
using Samskaping.Contracts.Benefits;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Benefits.Inbound;

/// <summary>A notification accepted before under the same (issuer, event id).</summary>
public sealed record AcceptedNotification(byte[] Fingerprint, InboundReceipt Receipt);

/// <summary>The result of recording a notification: the receipt, or the earlier one it turned out to repeat.</summary>
public sealed record Recorded(InboundReceipt Receipt, bool Replay, bool Conflict);

/// <summary>
/// Notifications accepted from the benefit system, once per (issuer, event id), enforced by the primary key.
/// Each is recorded in the same transaction as its <see cref="BenefitStatusChanged"/> events (outbox) and the
/// access-log entries for the persons concerned.
/// </summary>
public sealed class InboundStore(
    NpgsqlDataSource dataSource, OutboxWriter outbox, AccessLog accessLog, BenefitsMetrics metrics, IOptions<InboundOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>HMAC-SHA256 of the whole notification: equal for a replay, different for another body with the same id.</summary>
    public byte[] Fingerprint(ValidNotification notification) =>
        HMACSHA256.HashData(options.Value.FingerprintKeyBytes(), Encoding.UTF8.GetBytes(notification.Canonical()));

    public async Task<AcceptedNotification?> Find(string issuer, string eventId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await Find(connection, null, issuer, eventId, ct);
    }

    /// <summary>
    /// Records the notification and one BenefitStatusChanged per (case, person) of <paramref name="memberships"/>.
    /// When a concurrent request recorded the same (issuer, event id) first, nothing is written and the earlier
    /// receipt is returned (or a conflict, when its body was different).
    /// </summary>
    public async Task<Recorded> Record(
        string issuer, CurrentUser sender, ValidNotification notification, byte[] fingerprint,
        IReadOnlyList<PersonMembership> memberships, DateTimeOffset now, CancellationToken ct)
    {
        var events = memberships
            .SelectMany(m => m.CaseIds.Select(caseId => new BenefitStatusChanged(
                caseId, m.HouseholdId, m.PersonId, notification.EventId, notification.Benefit, notification.Status,
                notification.MonthlyAmount, notification.From, notification.To, notification.OccurredAt, now)))
            .DistinctBy(e => (e.CaseId, e.PersonId))
            .ToList();
        var receipt = events.Count == 0
            ? new InboundReceipt(notification.EventId, InboundOutcomes.NoMatchingPerson, 0, now,
                "No person with this identity number is known here. The notification was recorded; no case was told.")
            : new InboundReceipt(notification.EventId, InboundOutcomes.Delivered, events.Count, now,
                $"The notification was recorded and passed on to {events.Count} case(s) the person belongs to.");

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // A concurrent duplicate waits here for the first to commit, then inserts nothing.
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO benefits.inbound_events (issuer, event_id, fingerprint, benefit, status, occurred_at, received_at, cases_notified, answer)
            VALUES (@issuer, @EventId, @fingerprint, @Benefit, @Status, @OccurredAt, @now, @casesNotified, @answer::jsonb)
            ON CONFLICT (issuer, event_id) DO NOTHING
            """,
            new
            {
                issuer,
                notification.EventId,
                fingerprint,
                notification.Benefit,
                notification.Status,
                notification.OccurredAt,
                now,
                casesNotified = events.Count,
                answer = JsonSerializer.Serialize(receipt, Json),
            }, tx, cancellationToken: ct));
        if (inserted == 0)
        {
            var earlier = (await Find(connection, tx, issuer, notification.EventId, ct))!;
            await tx.RollbackAsync(ct);
            return Again(earlier, fingerprint);
        }
        foreach (var changed in events)
        {
            await outbox.Enqueue(changed, tx, ct);
            await accessLog.Write(sender, changed.CaseId, changed.PersonId, AccessActions.Create, "inbound benefit notification", tx, ct);
        }
        await tx.CommitAsync(ct);
        metrics.Inbound(receipt.Outcome);
        return new Recorded(receipt, Replay: false, Conflict: false);
    }

    /// <summary>A notification received before: the same body is a replay (the first answer again), another a conflict.</summary>
    public Recorded Again(AcceptedNotification earlier, byte[] fingerprint)
    {
        var replay = earlier.Fingerprint.AsSpan().SequenceEqual(fingerprint);
        metrics.Inbound(replay ? "replay" : "conflict");
        return new Recorded(earlier.Receipt, Replay: replay, Conflict: !replay);
    }

    private static async Task<AcceptedNotification?> Find(NpgsqlConnection connection, NpgsqlTransaction? tx, string issuer, string eventId, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(byte[] Fingerprint, string Answer)?>(new CommandDefinition(
            "SELECT fingerprint, answer::text FROM benefits.inbound_events WHERE issuer = @issuer AND event_id = @eventId",
            new { issuer, eventId }, tx, cancellationToken: ct));
        return row is { } r ? new AcceptedNotification(r.Fingerprint, JsonSerializer.Deserialize<InboundReceipt>(r.Answer, Json)!) : null;
    }
}
