using System.Data.Common;
using Npgsql;

namespace Samskaping.Messaging.Database;

/// <summary>
/// How a service's pooled PostgreSQL connections are used, unless its connection string says otherwise
/// (./samskaping bench, docs/performance.md):
/// <list type="bullet">
/// <item>A service runs the same few statements thousands of times — the inbox claim, the outbox insert, the
/// read-model upserts, the access checks. Npgsql's automatic preparation keeps each of them prepared per pooled
/// connection once it has been used a few times, so PostgreSQL stops parsing and planning it on every execution
/// (<c>Max Auto Prepare</c>; 0 turns it off).</item>
/// <item>A connection going back to the pool is not reset. Npgsql would otherwise make PostgreSQL run seven reset
/// statements (SET SESSION AUTHORIZATION DEFAULT, RESET ALL, CLOSE ALL, UNLISTEN *, …) at the start of the next
/// use of every pooled connection, often more statements than the request's own queries. Nothing in the services leaves session
/// state behind: every SET and advisory lock is transaction-scoped, the migration lock is taken on an unpooled
/// connection, and <see cref="CommitListener"/> stops listening before its connection goes back
/// (<c>No Reset On Close</c>; false turns the reset back on).</item>
/// </list>
/// </summary>
public static class PooledConnections
{
    /// <summary>Statements kept prepared per connection: more than a service's hot set, few enough to stay cheap.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    private static readonly string[] MaxAutoPrepareKeywords = ["Max Auto Prepare", "MaxAutoPrepare"];
    private static readonly string[] NoResetOnCloseKeywords = ["No Reset On Close", "NoResetOnClose"];

    public static void Apply(NpgsqlConnectionStringBuilder builder, string configured)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = configured };
        if (!Chosen(MaxAutoPrepareKeywords))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }
        if (!Chosen(NoResetOnCloseKeywords))
        {
            builder.NoResetOnClose = true;
        }

        bool Chosen(string[] keywords) => keywords.Any(given.ContainsKey);
    }
}
