using System.Data.Common;
using Npgsql;

namespace Samskaping.Messaging.Database;

/// <summary>
/// A service runs the same few statements thousands of times — the inbox claim, the outbox insert, the read-model
/// upserts. Npgsql's automatic preparation keeps each of them prepared per pooled connection once it has been used
/// a few times, so PostgreSQL stops parsing and planning it on every execution (./samskaping bench case-events,
/// docs/performance.md). Applied unless the connection string chooses <c>Max Auto Prepare</c> itself (0 turns it off).
/// </summary>
public static class PreparedStatements
{
    /// <summary>Statements kept prepared per connection: more than a service's hot set, few enough to stay cheap.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    private static readonly string[] Keywords = ["Max Auto Prepare", "MaxAutoPrepare"];

    public static void Apply(NpgsqlConnectionStringBuilder builder, string configured)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = configured };
        if (!Keywords.Any(given.ContainsKey))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }
    }
}
