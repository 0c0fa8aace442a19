using Dapper;
using Npgsql;

namespace Samskaping.Cases.PersonalData;

/// <summary>
/// How SQL finds a number by its keyed hashes. A person row and its memberships hold the hash under one lookup key and,
/// during a rotation, under a second (<see cref="LookupHashes"/>); two records are the same number when any hash of
/// one is any hash of the other, and a number is found when any of its hashes under the configured keys is in either
/// column. Hashes under different keys never collide, so matching across keys cannot link two people.
/// </summary>
public static class LookupSql
{
    /// <summary>The row <paramref name="alias"/> holds one of the hashes in the parameter <c>@lookups</c> (bytea[]).</summary>
    public static string MatchesAny(string alias) =>
        $"({alias}.identity_number_lookup = ANY (@lookups) OR {alias}.identity_number_lookup_other = ANY (@lookups))";

    /// <summary>The rows <paramref name="a"/> and <paramref name="b"/> share a hash: the same identity number.</summary>
    public static string SameNumber(string a, string b) =>
        $"({a}.identity_number_lookup IN ({b}.identity_number_lookup, {b}.identity_number_lookup_other) " +
        $"OR {a}.identity_number_lookup_other IN ({b}.identity_number_lookup, {b}.identity_number_lookup_other))";

    /// <summary>
    /// One writer of a number at a time, so of two at once the second sees the first: a lock per hash in key-id order,
    /// so a replica configured with keys 1 and 2 and one with only key 1 (or only key 2) still share a lock.
    /// </summary>
    public static async Task Lock(LookupHashes hashes, NpgsqlTransaction tx, CancellationToken ct)
    {
        foreach (var lookup in hashes.All)
        {
            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_xact_lock(hashtextextended('cases.person:' || encode(@lookup, 'hex'), 0))", new { lookup }, tx, cancellationToken: ct));
        }
    }
}
