using Dapper;
using Npgsql;
using Samskaping.Access;
using Samskaping.ServiceDefaults;

namespace Samskaping.Benefits.Cases;

/// <summary>
/// Who may see a household's data here: a worker who may see at least one of its cases (docs/architecture.md §5, through
/// <see cref="CaseAccess"/>). The household of each case comes from CaseOpened.
/// </summary>
public sealed class HouseholdAccess(NpgsqlDataSource dataSource, CaseAccess access)
{
    /// <summary>One case of the household the worker may see (the oldest), or null: then the answer is 404.</summary>
    public async Task<Guid?> VisibleCase(Guid householdId, CurrentUser user, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QueryFirstOrDefaultAsync<Guid?>(new CommandDefinition(
            $"""
            SELECT c.case_id FROM benefits.cases c
            WHERE c.household_id = @householdId AND {CaseAccess.VisiblePredicate("c.case_id")}
            ORDER BY c.received_at, c.case_id
            LIMIT 1
            """, access.Parameters(user, new { householdId }), cancellationToken: ct));
    }
}
