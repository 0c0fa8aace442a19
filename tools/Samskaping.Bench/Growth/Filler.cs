using System.Diagnostics;
using System.Globalization;
using Dapper;
using Npgsql;

namespace Samskaping.Bench.Growth;

/// <summary>
/// Grows a service's database by cloning what it holds at <see cref="Snapshot"/> time (the probes) into copies
/// 1..n, all in SQL. Every uuid becomes md5(uuid ':' copy), the same mapping in every table, so a copy's rows refer to
/// each other as the originals do (a case to its household, a ledger entry to its transaction, an access-log row to
/// its person) and never to an original: the probes' own reads keep the size they had. Times move back one second per
/// copy (history accumulates behind today), names become "Fyll &lt;copy&gt;" (a probe's surname matches no copy), and
/// the people who did things ("…_by", subject, coordinator) become one of 997 others, so no probe worker's own lists
/// grow. Tables keyed by text alone (sector registers, instruments) and the migrations' journal are not cloned.
/// Rows go in with session_replication_role = replica: a copy is consistent by construction, so foreign keys need no
/// insert order and no trigger recomputes what the copy already holds.
/// </summary>
public sealed class Filler(string connectionString)
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal) { "name", "household_name" };
    private static readonly HashSet<string> SearchNames = new(StringComparer.Ordinal) { "name_search" };
    private static readonly HashSet<string> People = new(StringComparer.Ordinal)
    {
        "subject", "coordinator", "on_behalf_of", "from_coordinator", "to_coordinator", "assigned_to", "lead",
    };

    private readonly List<(string Table, string Template, string Columns, string Values)> _tables = [];

    public int Copies { get; private set; }

    public IReadOnlyList<string> Tables => _tables.Select(t => t.Table).ToList();

    /// <summary>Takes the template: every cloneable table's rows as they are now, into schema <c>growth</c>.</summary>
    public async Task Snapshot(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync("DROP SCHEMA IF EXISTS growth CASCADE; CREATE SCHEMA growth;");
        // Reference data (tables keyed by text alone: sector registers, instruments, state machines) is not cloned.
        var tables = await connection.QueryAsync<(long Oid, string Name)>("""
            SELECT c.oid::bigint, c.oid::regclass::text
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'public', 'messaging', 'growth')
              AND n.nspname NOT LIKE 'pg\_%'
              AND NOT EXISTS (
                SELECT 1 FROM pg_index i
                WHERE i.indrelid = c.oid AND i.indisprimary
                  AND NOT EXISTS (SELECT 1 FROM pg_attribute a
                                  WHERE a.attrelid = c.oid AND a.attnum = ANY (i.indkey) AND a.atttypid = 'uuid'::regtype))
            ORDER BY 2
            """);
        var index = 0;
        foreach (var (oid, name) in tables)
        {
            // A text column in a unique key without a uuid (a fund's name, a payment file's message id) gets the copy's number.
            var columns = (await connection.QueryAsync<(string Name, string Type, bool UniqueText)>("""
                SELECT a.attname, format_type(a.atttypid, a.atttypmod),
                       EXISTS (SELECT 1 FROM pg_index i
                               WHERE i.indrelid = a.attrelid AND i.indisunique AND a.attnum = ANY (i.indkey)
                                 AND NOT EXISTS (SELECT 1 FROM pg_attribute u
                                                 WHERE u.attrelid = a.attrelid AND u.attnum = ANY (i.indkey) AND u.atttypid = 'uuid'::regtype))
                FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = @oid::oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attidentity = '' AND a.attgenerated = ''
                  AND coalesce(pg_get_expr(d.adbin, d.adrelid), '') NOT LIKE 'nextval(%'
                ORDER BY a.attnum
                """, new { oid })).ToList();
            var template = $"growth.t{index++}";
            await connection.ExecuteAsync($"CREATE TABLE {template} AS SELECT * FROM {name}");
            _tables.Add((name, template,
                string.Join(", ", columns.Select(c => Quote(c.Name))),
                string.Join(", ", columns.Select(c => c.UniqueText && c.Type == "text" ? $"t.{Quote(c.Name)} || ' ' || g.n" : Clone(c.Name, c.Type)))));
        }
    }

    /// <summary>Adds copies until there are <paramref name="copies"/> in all; returns how long it took.</summary>
    public async Task<TimeSpan> GrowTo(int copies, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        const int batch = 250;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync("SET session_replication_role = replica");
        for (var from = Copies + 1; from <= copies; from += batch)
        {
            var to = Math.Min(copies, from + batch - 1);
            await using var tx = await connection.BeginTransactionAsync(ct);
            foreach (var (table, template, columns, values) in _tables)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    $"INSERT INTO {table} ({columns}) SELECT {values} FROM {template} t CROSS JOIN generate_series(@from, @to) AS g(n)",
                    new { from, to }, tx, commandTimeout: 0, cancellationToken: ct));
            }
            await tx.CommitAsync(ct);
        }
        Copies = Math.Max(Copies, copies);
        await connection.ExecuteAsync(new CommandDefinition("VACUUM ANALYZE", commandTimeout: 0, cancellationToken: ct));
        return watch.Elapsed;
    }

    public async Task<long> Count(string table, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM {table}", cancellationToken: ct));
    }

    private static string Clone(string name, string type)
    {
        var column = "t." + Quote(name);
        return type switch
        {
            "uuid" => $"md5({column}::text || ':' || g.n)::uuid",
            "uuid[]" => $"CASE WHEN {column} IS NULL THEN NULL ELSE ARRAY(SELECT md5(x::text || ':' || g.n)::uuid FROM unnest({column}) AS x) END",
            "timestamp with time zone" or "timestamp without time zone" => $"{column} - g.n * interval '1 second'",
            "bytea" when name.Contains("lookup", StringComparison.Ordinal) => $"sha256({column} || convert_to(g.n::text, 'UTF8'))",
            "text" when Names.Contains(name) => $"CASE WHEN {column} IS NULL THEN NULL ELSE 'Fyll ' || g.n END",
            "text" when SearchNames.Contains(name) => $"CASE WHEN {column} IS NULL THEN NULL ELSE 'fyll ' || g.n END",
            "text" when People.Contains(name) || name.EndsWith("_by", StringComparison.Ordinal) => $"{column} || '-' || (g.n % 997)",
            _ => column,
        };
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{_tables.Count} tables × {Copies} copies");
}
