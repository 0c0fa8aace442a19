using Dapper;
using Npgsql;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.PersonalData;

/// <summary>
/// Re-encrypts every stored identity number that is not under the active encryption key, so an old key can be taken
/// out of configuration (docs/operations.md, Key rotation). Runs at start-up and then every hour, so rolling out a new
/// active key starts it. A batch is one transaction; a row is rewritten only if its ciphertext is still the one that
/// was read, so a correction saved meanwhile is never overwritten, and every replica may run it at once. Nothing is
/// remembered between runs: a restart scans again and skips the rows already under the active key.
/// </summary>
public sealed partial class IdentityNumberReencryption(
    NpgsqlDataSource dataSource, PersonalDataProtector protector, TimeProvider clock, ILogger<IdentityNumberReencryption> logger)
    : BackgroundService
{
    public const int BatchSize = 100;
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodically.Run(Interval, clock, ReencryptAll, e => LogFailed(logger, e), stoppingToken, e => e is NpgsqlException or TimeoutException);

    /// <summary>One pass over all persons; returns how many ciphertexts were re-encrypted.</summary>
    public async Task<int> ReencryptAll(CancellationToken ct)
    {
        var (total, unreadable) = await PersonPass.Run(ReencryptBatch, (rewritten, soFar) => LogProgress(logger, rewritten, soFar, protector.ActiveKeyId), ct);
        if (unreadable > 0)
        {
            LogUnreadable(logger, unreadable, protector.ActiveKeyId);
        }
        else
        {
            LogDone(logger, total, protector.ActiveKeyId);
        }
        return total;
    }

    /// <summary>Stored ciphertexts by the key that sealed them: the rotation's progress.</summary>
    public async Task<IReadOnlyDictionary<int, int>> CountByKeyId(CancellationToken ct)
    {
        var counts = new Dictionary<int, int>();
        var after = Guid.Empty;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        while (true)
        {
            var rows = (await connection.QueryAsync<StoredNumber>(new CommandDefinition(Sql.Page, new { after, limit = 1000 }, cancellationToken: ct))).AsList();
            if (rows.Count == 0)
            {
                return counts;
            }
            foreach (var row in rows)
            {
                var keyId = PersonalDataProtector.KeyIdOf(row.Encrypted);
                counts[keyId] = counts.GetValueOrDefault(keyId) + 1;
            }
            after = rows[^1].Id;
        }
    }

    private async Task<(int Rewritten, int Unreadable, Guid? Last)> ReencryptBatch(Guid after, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var rows = (await connection.QueryAsync<StoredNumber>(new CommandDefinition(Sql.Page, new { after, limit = BatchSize }, tx, cancellationToken: ct))).AsList();
        if (rows.Count == 0)
        {
            return (0, 0, null);
        }
        var rewritten = 0;
        var unreadable = 0;
        foreach (var row in rows.Where(r => PersonalDataProtector.KeyIdOf(r.Encrypted) != protector.ActiveKeyId))
        {
            // A number under a key that is not configured stays as it is and is counted, rather than stopping the
            // service or the pass: the other rows still move, and the log says the old key cannot be dropped yet.
            IdentityNumber? number;
            try
            {
                number = IdentityNumber.Parse(protector.Decrypt(row.Encrypted, row.Id), out _);
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                number = null;
            }
            if (number is null)
            {
                unreadable++;
                LogUnreadablePerson(logger, row.Id, PersonalDataProtector.KeyIdOf(row.Encrypted));
                continue;
            }
            rewritten += await connection.ExecuteAsync(new CommandDefinition(Sql.Rewrite,
                new { id = row.Id, old = row.Encrypted, encrypted = protector.Encrypt(number, row.Id) }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return (rewritten, unreadable, rows[^1].Id);
    }

    private sealed record StoredNumber(Guid Id, byte[] Encrypted);

    private static class Sql
    {
        public const string Page = """
            SELECT id AS Id, identity_number_encrypted AS Encrypted FROM cases.persons
            WHERE identity_number_encrypted IS NOT NULL AND id > @after ORDER BY id LIMIT @limit
            """;

        public const string Rewrite = """
            UPDATE cases.persons SET identity_number_encrypted = @encrypted WHERE id = @id AND identity_number_encrypted = @old
            """;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-encrypted {Count} identity numbers under key {ActiveKeyId} ({Total} in this pass)")]
    private static partial void LogProgress(ILogger logger, int count, int total, int activeKeyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Every identity number is under key {ActiveKeyId}; {Total} re-encrypted in this pass")]
    private static partial void LogDone(ILogger logger, int total, int activeKeyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} identity numbers could not be decrypted and are not under key {ActiveKeyId}; do not drop an old key")]
    private static partial void LogUnreadable(ILogger logger, int count, int activeKeyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The identity number of person {PersonId} under key {KeyId} could not be decrypted")]
    private static partial void LogUnreadablePerson(ILogger logger, Guid personId, int keyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not re-encrypt identity numbers; will try again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
