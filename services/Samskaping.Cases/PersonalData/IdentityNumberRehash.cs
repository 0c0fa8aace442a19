using Dapper;
using Npgsql;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.PersonalData;

/// <summary>
/// Moves every person's keyed hash to the active lookup key, so an old lookup key can be taken out of configuration
/// (docs/operations.md, Key rotation). A row's target is the hash under the active key and, while a second lookup key
/// is configured, the hash under that one too: during a rotation both are kept, so a replica configured with either
/// key finds the person; once the old key is out of configuration its hashes are dropped. The number is decrypted to
/// hash it again, so a row still under a key no longer configured is repaired too. Runs at start-up and then every
/// hour, as the re-encryption job does: a batch is one transaction, a row is rewritten only if its hashes are still
/// the ones that were read (a correction saved meanwhile wins, and the next pass looks at the row again), and every
/// replica may run it at once.
/// </summary>
public sealed partial class IdentityNumberRehash(
    NpgsqlDataSource dataSource, PersonalDataProtector protector, TimeProvider clock, ILogger<IdentityNumberRehash> logger)
    : BackgroundService
{
    public const int BatchSize = 100;
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodically.Run(Interval, clock, RehashAll, e => LogFailed(logger, e), stoppingToken, e => e is NpgsqlException or TimeoutException);

    private int? OtherKeyId => protector.LookupKeyIds.Where(id => id != protector.ActiveLookupKeyId).Cast<int?>().SingleOrDefault();

    /// <summary>One pass over the persons not yet in their target state; returns how many were rewritten.</summary>
    public async Task<int> RehashAll(CancellationToken ct)
    {
        var (total, unreadable) = await PersonPass.Run(RehashBatch, (rewritten, soFar) => LogProgress(logger, rewritten, soFar, protector.ActiveLookupKeyId), ct);
        if (unreadable > 0)
        {
            LogUnreadable(logger, unreadable, protector.ActiveLookupKeyId);
        }
        else
        {
            LogDone(logger, total, protector.ActiveLookupKeyId);
        }
        return total;
    }

    /// <summary>The rotation's progress: persons with a hash under each lookup key, and those still without one under the active key.</summary>
    public async Task<LookupKeyCounts> Count(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var byKey = (await connection.QueryAsync<(int KeyId, int Count)>(new CommandDefinition(Sql.CountByKey, cancellationToken: ct)))
            .ToDictionary(r => r.KeyId, r => r.Count);
        var withoutActive = await connection.ExecuteScalarAsync<int>(new CommandDefinition(Sql.CountWithoutActive,
            new { active = protector.ActiveLookupKeyId }, cancellationToken: ct));
        var pending = await connection.ExecuteScalarAsync<int>(new CommandDefinition(Sql.CountPending,
            new { active = protector.ActiveLookupKeyId, other = OtherKeyId }, cancellationToken: ct));
        return new LookupKeyCounts(byKey, withoutActive, pending);
    }

    private async Task<(int Rewritten, int Unreadable, Guid? Last)> RehashBatch(Guid after, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var rows = (await connection.QueryAsync<StoredHashes>(new CommandDefinition(Sql.Page,
            new { after, limit = BatchSize, active = protector.ActiveLookupKeyId, other = OtherKeyId }, tx, cancellationToken: ct))).AsList();
        if (rows.Count == 0)
        {
            return (0, 0, null);
        }
        var rewritten = 0;
        var unreadable = 0;
        foreach (var row in rows)
        {
            // A number that cannot be decrypted keeps the hashes it has and is counted: it is still found through
            // them while their key is configured, and the log says the old lookup key cannot be dropped yet.
            IdentityNumber? number;
            try
            {
                number = IdentityNumber.Parse(protector.Decrypt(row.Encrypted, row.Id), out _);
            }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or FormatException)
            {
                number = null;
            }
            if (number is null)
            {
                unreadable++;
                LogUnreadablePerson(logger, row.Id, row.KeyId);
                continue;
            }
            var hashes = protector.LookupHashesOf(number);
            var moved = await connection.ExecuteAsync(new CommandDefinition(Sql.RewritePerson, new
            {
                id = row.Id, oldLookup = row.Lookup, oldOther = row.Other,
                lookup = hashes.Hash, keyId = hashes.KeyId, other = hashes.Other, otherKeyId = hashes.OtherKeyId,
            }, tx, cancellationToken: ct));
            if (moved == 1)
            {
                // The first hash reaches the memberships by the foreign key's ON UPDATE CASCADE as well; the second
                // has no foreign key, so both are written here, in the same transaction.
                await connection.ExecuteAsync(new CommandDefinition(Sql.RewriteMemberships,
                    new { id = row.Id, lookup = hashes.Hash, other = hashes.Other }, tx, cancellationToken: ct));
                rewritten++;
            }
        }
        await tx.CommitAsync(ct);
        return (rewritten, unreadable, rows[^1].Id);
    }

    private sealed record StoredHashes(Guid Id, byte[] Encrypted, byte[] Lookup, int KeyId, byte[]? Other);

    private static class Sql
    {
        private const string NotInTarget = """
            identity_number_lookup IS NOT NULL
            AND NOT (identity_number_lookup_key_id = @active AND identity_number_lookup_other_key_id IS NOT DISTINCT FROM @other::integer)
            """;

        public const string Page = $"""
            SELECT id AS Id, identity_number_encrypted AS Encrypted, identity_number_lookup AS Lookup,
                   identity_number_lookup_key_id AS KeyId, identity_number_lookup_other AS Other
            FROM cases.persons
            WHERE {NotInTarget} AND id > @after ORDER BY id LIMIT @limit
            """;

        public const string CountPending = $"SELECT count(*)::int FROM cases.persons WHERE {NotInTarget}";

        public const string CountWithoutActive = """
            SELECT count(*)::int FROM cases.persons
            WHERE identity_number_lookup IS NOT NULL AND identity_number_lookup_key_id <> @active
              AND identity_number_lookup_other_key_id IS DISTINCT FROM @active
            """;

        public const string CountByKey = """
            SELECT key_id AS KeyId, count(*)::int AS Count FROM (
                SELECT identity_number_lookup_key_id AS key_id FROM cases.persons WHERE identity_number_lookup IS NOT NULL
                UNION ALL
                SELECT identity_number_lookup_other_key_id FROM cases.persons WHERE identity_number_lookup_other IS NOT NULL
            ) hashes GROUP BY key_id ORDER BY key_id
            """;

        public const string RewritePerson = """
            UPDATE cases.persons
            SET identity_number_lookup = @lookup, identity_number_lookup_key_id = @keyId,
                identity_number_lookup_other = @other, identity_number_lookup_other_key_id = @otherKeyId
            WHERE id = @id AND identity_number_lookup = @oldLookup AND identity_number_lookup_other IS NOT DISTINCT FROM @oldOther::bytea
            """;

        public const string RewriteMemberships = """
            UPDATE cases.household_members SET identity_number_lookup = @lookup, identity_number_lookup_other = @other
            WHERE person_id = @id AND identity_number_lookup IS NOT NULL
            """;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rehashed {Count} identity numbers under lookup key {ActiveKeyId} ({Total} in this pass)")]
    private static partial void LogProgress(ILogger logger, int count, int total, int activeKeyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Every identity number is hashed under lookup key {ActiveKeyId}; {Total} rehashed in this pass")]
    private static partial void LogDone(ILogger logger, int total, int activeKeyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} identity numbers could not be decrypted and are not rehashed under lookup key {ActiveKeyId}; do not drop an old lookup key")]
    private static partial void LogUnreadable(ILogger logger, int count, int activeKeyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The identity number of person {PersonId}, hashed under lookup key {KeyId}, could not be decrypted")]
    private static partial void LogUnreadablePerson(ILogger logger, Guid personId, int keyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not rehash identity numbers; will try again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

/// <summary>Persons with a hash under each lookup key id; those with none under the active key; those the job has still to rewrite.</summary>
public sealed record LookupKeyCounts(IReadOnlyDictionary<int, int> ByKeyId, int WithoutActiveKey, int Pending);
