namespace Samskaping.ServiceDefaults;

/// <summary>
/// What a database failure means: "cannot be reached for now" (a fault of neither the request nor the code), or a
/// rule the database holds that the request ran into.
/// </summary>
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

    /// <summary>True for the unique violation of <paramref name="constraint"/>: a database-held "only one" rule.</summary>
    public static bool IsUniqueViolation(Exception exception, string constraint) =>
        exception is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation } postgres && postgres.ConstraintName == constraint;
}
