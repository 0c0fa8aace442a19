using Npgsql;
using Samskaping.IntegrationTests.Infrastructure;

namespace Samskaping.IntegrationTests.Security.Fuzz;

/// <summary>
/// A hash of every row of every table of a service's database, per table, so "nothing changed" can be checked
/// without knowing the service's schema — a table added later is covered too. Tables that legitimately change when
/// a request is refused or merely read are left out by name, each with its reason at the call site.
/// </summary>
internal static class DatabaseFingerprint
{
    public static async Task<IReadOnlyDictionary<string, string>> Of(TestDatabase database, IReadOnlySet<string> excluded)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            """
            SELECT quote_ident(table_schema) || '.' || quote_ident(table_name)
            FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
            ORDER BY 1
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables.Where(t => !excluded.Contains(t)))
        {
            // Identifiers come from the catalogue, quoted by quote_ident; there is no outside input in this SQL.
#pragma warning disable CA2100
            await using var hash = new NpgsqlCommand(
                $"SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {table} t", connection);
#pragma warning restore CA2100
            result[table] = (string)(await hash.ExecuteScalarAsync())!;
        }
        return result;
    }

    /// <summary>The tables whose content differs, as "table: before → after".</summary>
    public static IEnumerable<string> Differences(string service, IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        before.Keys.Union(after.Keys)
            .Where(t => before.GetValueOrDefault(t) != after.GetValueOrDefault(t))
            .Select(t => $"{service} {t}: {before.GetValueOrDefault(t) ?? "(none)"} → {after.GetValueOrDefault(t) ?? "(none)"}");
}
