using Dapper;
using Npgsql;
using Samskaping.Access;
using Samskaping.Contracts.Cases;
using Samskaping.Grants.Requests;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Cases;

/// <summary>A case as grants knows it, with its grants.</summary>
/// <param name="HouseholdId">The case itself until cases tells its household (older CaseOpened messages carry none).</param>
public sealed record GrantCaseView(
    Guid CaseId, string OpenedBySector, DateTimeOffset OpenedAt, DateTimeOffset RecordedAt, Guid HouseholdId, DateTimeOffset? ClosedAt,
    IReadOnlyList<GrantView> Grants);

/// <summary>What the grants service knows of a case: who opened it and when, its household, whether it is closed now.</summary>
public sealed class GrantCaseStore(AccessLog accessLog, TimeProvider clock)
{
    public Task Record(CaseOpened opened, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO grants.cases (case_id, opened_by_sector, opened_at, recorded_at, household_id)
            VALUES (@CaseId, @OpenedBySector, @OpenedAt, @now, @HouseholdId)
            ON CONFLICT (case_id) DO UPDATE
                SET opened_by_sector = excluded.opened_by_sector, opened_at = excluded.opened_at,
                    household_id = COALESCE(grants.cases.household_id, excluded.household_id)
            """, new { opened.CaseId, opened.OpenedBySector, opened.OpenedAt, opened.HouseholdId, now = clock.Now() }, tx, cancellationToken: ct));

    /// <summary>Learns the case's household from a member joining it, when CaseOpened did not say.</summary>
    public Task RecordHousehold(Guid caseId, Guid householdId, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO grants.cases (case_id, recorded_at, household_id) VALUES (@caseId, @now, @householdId)
            ON CONFLICT (case_id) DO UPDATE SET household_id = COALESCE(grants.cases.household_id, excluded.household_id)
            """, new { caseId, householdId, now = clock.Now() }, tx, cancellationToken: ct));

    /// <summary>
    /// Follows the case's lifecycle both ways: closed, or open again, as of <paramref name="at"/> — unless a newer
    /// change is known already, since a CaseClosed and the reopen after it may arrive in either order (a change that
    /// arrives before the opening is remembered too). Returns the time of the newest change known, later than
    /// <paramref name="at"/> when this one came late.
    /// </summary>
    public async Task<DateTimeOffset> RecordStatus(Guid caseId, bool closed, DateTimeOffset at, NpgsqlTransaction tx, CancellationToken ct)
    {
        var newest = await tx.Connection!.ExecuteScalarAsync<DateTime>(new CommandDefinition(
            """
            WITH applied AS (
                INSERT INTO grants.cases (case_id, recorded_at, closed_at, status_changed_at) VALUES (@caseId, @now, @closedAt, @at)
                ON CONFLICT (case_id) DO UPDATE SET closed_at = excluded.closed_at, status_changed_at = excluded.status_changed_at
                    WHERE grants.cases.status_changed_at IS NULL OR grants.cases.status_changed_at < excluded.status_changed_at
                RETURNING status_changed_at)
            SELECT coalesce((SELECT status_changed_at FROM applied), (SELECT status_changed_at FROM grants.cases WHERE case_id = @caseId))
            """, new { caseId, closedAt = closed ? at : (DateTimeOffset?)null, at, now = clock.Now() }, tx, cancellationToken: ct));
        return newest.AsUtc();
    }

    /// <summary>
    /// A case the caller may see (the route's access check found it) with its grants, access-logged; null when grants
    /// has not learnt of its opening.
    /// </summary>
    public async Task<GrantCaseView?> Read(NpgsqlConnection connection, Guid caseId, CurrentUser user, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            """
            SELECT case_id AS CaseId, opened_by_sector AS OpenedBySector, opened_at AS OpenedAt, recorded_at AS RecordedAt,
                   household_id AS HouseholdId, closed_at AS ClosedAt
            FROM grants.cases WHERE case_id = @caseId AND opened_at IS NOT NULL
            """,
            new { caseId }, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }
        await accessLog.Write(user, caseId, null, AccessActions.Read, "read grant case", connection, ct);
        return new GrantCaseView(row.CaseId, row.OpenedBySector, row.OpenedAt.AsUtc(), row.RecordedAt.AsUtc(), row.HouseholdId ?? row.CaseId,
            row.ClosedAt?.AsUtc(), await GrantStore.ForCase(connection, caseId, ct));
    }

    private sealed record Row(Guid CaseId, string OpenedBySector, DateTime OpenedAt, DateTime RecordedAt, Guid? HouseholdId, DateTime? ClosedAt);
}
