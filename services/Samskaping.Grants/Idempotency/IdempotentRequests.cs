using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using Samskaping.Grants.Ledger;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Idempotency;

/// <summary>
/// What a money-moving request did: a success to store and replay, or a refusal (rolled back, not stored). A success
/// may end with a ledger posting still to send: it is sent last, with the stored answer and COMMIT in one round trip
/// (<see cref="FundLedger.Commit"/>), and if the ledger refuses it the whole change rolls back and
/// <see cref="OnRefusal"/> says what to answer instead.
/// </summary>
public sealed record Answer<T>(T? Value, string? Location, Refusal? Refusal)
{
    public Posting? Posting { get; init; }

    public Func<LedgerRefusal, Refusal>? OnRefusal { get; init; }

    /// <summary>Runs once the change has committed — never for a replay or a rollback (counting it, for one).</summary>
    public Action? Committed { get; init; }

    public static implicit operator Answer<T>(Refusal refusal) => new(default, null, refusal);

    /// <summary>This answer, with <paramref name="posting"/> sent last, just before COMMIT.</summary>
    public Answer<T> PostingLast(Posting posting, Func<LedgerRefusal, Refusal> onRefusal) =>
        this with { Posting = posting, OnRefusal = onRefusal };
}

public static class Answer
{
    /// <param name="location">Where a created thing is (the answer is then 201, else 200).</param>
    public static Answer<T> Done<T>(T value, string? location = null) => new(value, location, null);
}

/// <summary>
/// Idempotency-Key for money-moving POSTs (as Stripe does it). A key belongs to the caller (the token's subject):
/// another worker's use of the same key is another request. The key's row is inserted first in the same
/// transaction as the effect: a concurrent request with the same key waits on the unique key until the first
/// commits, then finds the stored answer and replays it — one effect, one answer, however many retries race.
/// The same key with a different request is refused (422). Only successes are stored: a refused request changed
/// nothing (its transaction rolled back, key row included), so trying again with the same key runs again.
/// </summary>
public sealed class IdempotentRequests(DbSession session, TimeProvider clock)
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 200;

    public const string HeaderDescription =
        "Required. A unique value per intended change (a UUID is fine), at most 200 printable characters; sent again unchanged when " +
        "retrying. A key belongs to the caller (the token's subject): the same key and body from the same caller gets the first answer " +
        "again, the same key with another body is 422, and another caller's use of the same key is never seen.";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The refusal for a missing or unusable key, naming the header (400: without a usable key the request cannot be
    /// told apart from its retries); null when the key is fine.
    /// </summary>
    public static Refusal? CheckKey(string? key)
    {
        string? why = string.IsNullOrWhiteSpace(key)
            ? "Required on every request that moves money: a unique value per intended change (a UUID is fine), sent again unchanged when retrying."
            : key.Length > MaxKeyLength || key.Any(char.IsControl)
                ? $"At most {MaxKeyLength} printable characters."
                : null;
        return why is null
            ? null
            : new Refusal(StatusCodes.Status400BadRequest, $"The {Header} header is missing or unusable.", why,
                new Dictionary<string, string[]> { [Header] = [why] });
    }

    /// <summary>
    /// Runs <paramref name="effect"/> at most once per key of <paramref name="user"/>. <paramref name="request"/> (with the
    /// method and path) is what "the same request" means. The answer is the first success's value, replayed, or why this
    /// request was refused.
    /// </summary>
    public async Task<Result<T>> Run<T>(
        string key, CurrentUser user, string operation, object request,
        Func<NpgsqlTransaction, CancellationToken, Task<Answer<T>>> effect, CancellationToken ct)
    {
        var hash = Hash(user.Subject, operation, request);
        // A deadlock or serialization failure is the database choosing a victim: the whole transaction is retried.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var answer = await RunOnce(key, user, hash, effect, ct);
                return answer.Refusal is { } refusal ? refusal : answer.Value!;
            }
            catch (PostgresException e) when (attempt < 4 && e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
            }
        }
    }

    private async Task<Answer<T>> RunOnce<T>(
        string key, CurrentUser user, string hash,
        Func<NpgsqlTransaction, CancellationToken, Task<Answer<T>>> effect, CancellationToken ct)
    {
        // On the request's connection, the one its case-access check used: a request never waits for a second one.
        var connection = await session.Connection(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO grants.idempotency_keys (key, subject, request_hash, created_at)
            VALUES (@key, @subject, @hash, @now)
            ON CONFLICT (subject, key) DO NOTHING
            """, new { key, subject = user.Subject, hash, now = clock.Now() }, tx, cancellationToken: ct));
        if (claimed == 0)
        {
            // Another request of this caller with this key committed first (we waited for it on the key's unique index).
            var stored = await connection.QuerySingleAsync<StoredRow>(new CommandDefinition(
                """
                SELECT request_hash AS RequestHash, response_body AS ResponseBody, location AS Location
                FROM grants.idempotency_keys WHERE subject = @subject AND key = @key
                """, new { key, subject = user.Subject }, tx, cancellationToken: ct));
            await tx.RollbackAsync(ct);
            if (stored.RequestHash != hash || stored.ResponseBody is null)
            {
                return Refusal.Unprocessable($"The {Header} was used before with another request.", Header,
                    "You already used this key for a different request. Use a new key for a new change.");
            }
            return Answer.Done(JsonSerializer.Deserialize<T>(stored.ResponseBody, Json)!, stored.Location);
        }

        var answer = await effect(tx, ct);
        if (answer.Refusal is not null)
        {
            await tx.RollbackAsync(ct);
            return answer;
        }
        var store = new NpgsqlBatchCommand(
            "UPDATE grants.idempotency_keys SET status_code = $1, response_body = $2, location = $3 WHERE subject = $4 AND key = $5")
        {
            Parameters =
            {
                new() { Value = answer.Location is null ? StatusCodes.Status200OK : StatusCodes.Status201Created },
                new() { Value = JsonSerializer.Serialize(answer.Value, Json) },
                new() { Value = (object?)answer.Location ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = user.Subject },
                new() { Value = key },
            },
        };
        if (answer.Posting is { } posting)
        {
            // The contended account rows are locked by the posting: it goes last, with the stored answer and COMMIT.
            if (await FundLedger.Commit(tx, posting, [store], ct) is { } refusal)
            {
                return answer.OnRefusal!(refusal);
            }
            answer.Committed?.Invoke();
            return answer;
        }
        await using (var batch = new NpgsqlBatch(connection, tx) { BatchCommands = { store } })
        {
            await batch.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        answer.Committed?.Invoke();
        return answer;
    }

    private static string Hash(string subject, string operation, object request)
    {
        var text = $"{subject}\n{operation}\n{JsonSerializer.Serialize(request, request.GetType(), Json)}";
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private sealed record StoredRow(string RequestHash, string? ResponseBody, string? Location);
}
