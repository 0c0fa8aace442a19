using System.Diagnostics;
using Dapper;
using Npgsql;
using Samskaping.ServiceDefaults;

namespace Samskaping.Access;

/// <summary>What was done with a person's data, in the words the access log uses.</summary>
public static class AccessActions
{
    public const string Read = "read";
    public const string Create = "create";
    public const string Update = "update";
    public const string List = "list";
}

/// <summary>
/// Writes who looked at or changed a person's data (DESIGN.md §5). Written in the caller's transaction where
/// there is one, so a change and its log entry are committed together.
/// </summary>
public sealed class AccessLog(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task Write(CurrentUser user, Guid? caseId, Guid? personId, string action, string? purpose, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await Insert(connection, null, user, caseId, personId, action, purpose, ct);
    }

    public Task Write(CurrentUser user, Guid? caseId, Guid? personId, string action, string? purpose, NpgsqlTransaction tx, CancellationToken ct) =>
        Insert(tx.Connection!, tx, user, caseId, personId, action, purpose, ct);

    private async Task Insert(NpgsqlConnection connection, NpgsqlTransaction? tx, CurrentUser user, Guid? caseId, Guid? personId, string action, string? purpose, CancellationToken ct)
    {
        var now = clock.Now();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO access.access_log (id, at, subject, role, sector, case_id, person_id, action, purpose, correlation_id)
            VALUES (@id, @at, @subject, @role, @sector, @caseId, @personId, @action, @purpose, @correlationId)
            """,
            new
            {
                id = Guid.CreateVersion7(now),
                at = now,
                subject = user.Subject,
                role = user.Role,
                sector = user.Sector,
                caseId,
                personId,
                action,
                purpose,
                correlationId = Activity.Current?.TraceId.ToString(),
            }, tx, cancellationToken: ct));
    }
}
