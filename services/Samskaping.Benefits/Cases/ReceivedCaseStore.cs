using Samskaping.ServiceDefaults;
using Dapper;
using Npgsql;
using Samskaping.Contracts.Cases;

namespace Samskaping.Benefits.Cases;

/// <summary>A case as the benefit system will see it: received (MOTTATT) at the moment it was opened.</summary>
public sealed record ReceivedCase(Guid CaseId, DateTimeOffset ReceivedAt, DateTimeOffset RecordedAt);

public sealed class ReceivedCaseStore(TimeProvider clock)
{
    public Task Record(CaseOpened opened, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO benefits.cases (case_id, received_at, recorded_at, household_id)
            VALUES (@CaseId, @OpenedAt, @now, @HouseholdId)
            ON CONFLICT (case_id) DO UPDATE SET household_id = COALESCE(benefits.cases.household_id, excluded.household_id)
            """, new { opened.CaseId, opened.OpenedAt, now = clock.Now(), opened.HouseholdId }, tx, cancellationToken: ct));

    public static async Task<ReceivedCase?> Find(Guid caseId, NpgsqlConnection connection, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT case_id AS CaseId, received_at AS ReceivedAt, recorded_at AS RecordedAt FROM benefits.cases WHERE case_id = @caseId",
            new { caseId }, cancellationToken: ct));
        return row is null ? null : new ReceivedCase(row.CaseId, row.ReceivedAt.AsUtc(), row.RecordedAt.AsUtc());
    }

    private sealed record Row(Guid CaseId, DateTime ReceivedAt, DateTime RecordedAt);
}
