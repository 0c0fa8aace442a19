namespace Samskaping.ServiceDefaults;

/// <summary>Which failures mean "the database cannot be reached for now", as opposed to a fault in the request or the code.</summary>
public static class DatabaseErrors
{
    /// <summary>
    /// True when <paramref name="exception"/> or one it wraps is a failure to reach PostgreSQL that goes away by itself:
    /// what Npgsql marks transient (connection refused or broken, timeouts, the pool exhausted, 53xxx out of resources,
    /// serialization failures and deadlocks), plus every connection exception (08xxx) and operator intervention
    /// (57Pxx: the server shutting down, restarting or not yet accepting connections) — a restart or failover.
    /// </summary>
    public static bool Unavailable(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Npgsql.PostgresException postgres when postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                    || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal):
                case Npgsql.NpgsqlException { IsTransient: true }:
                    return true;
            }
        }
        return false;
    }
}
