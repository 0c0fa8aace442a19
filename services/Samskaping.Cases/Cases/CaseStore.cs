using Dapper;
using Npgsql;
using Samskaping.Access;
using Samskaping.Contracts.Cases;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Cases;

/// <summary>Reads and writes cases. Every change is committed together with its events and its access-log entry.</summary>
public sealed class CaseStore(NpgsqlDataSource dataSource, Outbox outbox, AccessLog accessLog)
{
    public async Task Open(Case opened, CurrentUser user, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cases.cases (id, household_name, status, opened_by, opened_by_sector, opened_at)
            VALUES (@Id, @HouseholdName, @Status, @OpenedBy, @OpenedBySector, @OpenedAt)
            """,
            new { opened.Id, opened.HouseholdName, Status = StatusName(opened.Status), opened.OpenedBy, opened.OpenedBySector, opened.OpenedAt },
            tx, cancellationToken: ct));
        foreach (var need in opened.Needs)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cases.needs (id, case_id, text, said_by, recorded_by, recorded_at)
                VALUES (@Id, @caseId, @Text, @SaidBy, @RecordedBy, @RecordedAt)
                """,
                new { need.Id, caseId = opened.Id, need.Text, need.SaidBy, need.RecordedBy, need.RecordedAt }, tx, cancellationToken: ct));
        }
        // The opening sector participates from the first moment, so its worker can read the case at once.
        await CaseAccess.RecordOpening(opened.Id, opened.OpenedBySector, opened.OpenedAt, tx, ct);
        await CaseParticipation.Record(opened.Id, opened.OpenedBySector, "lead", participating: true, opened.OpenedAt, tx, ct);
        await accessLog.Write(user, opened.Id, null, AccessActions.Create, "open case", tx, ct);
        await outbox.Enqueue(new CaseOpened(opened.Id, opened.OpenedBy, opened.OpenedBySector, opened.OpenedAt), tx, ct);
        await tx.CommitAsync(ct);
    }

    public async Task<Case?> Find(Guid id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<CaseRow>(new CommandDefinition(
            """
            SELECT id, household_name AS HouseholdName, status, opened_by AS OpenedBy, opened_by_sector AS OpenedBySector, opened_at AS OpenedAt
            FROM cases.cases WHERE id = @id
            """, new { id }, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }
        var needs = await connection.QueryAsync<NeedRow>(new CommandDefinition(
            """
            SELECT id, text, said_by AS SaidBy, recorded_by AS RecordedBy, recorded_at AS RecordedAt
            FROM cases.needs WHERE case_id = @id ORDER BY recorded_at, id
            """, new { id }, cancellationToken: ct));
        return new Case(
            row.Id, row.HouseholdName, Enum.Parse<CaseStatus>(row.Status, ignoreCase: true), row.OpenedBy, row.OpenedBySector, row.OpenedAt.AsUtc(),
            [.. needs.Select(n => new Need(n.Id, n.Text, n.SaidBy, n.RecordedBy, n.RecordedAt.AsUtc()))]);
    }

    internal static string StatusName(CaseStatus status) => status.ToString().ToLowerInvariant();

    private sealed record CaseRow(Guid Id, string HouseholdName, string Status, string OpenedBy, string OpenedBySector, DateTime OpenedAt);

    private sealed record NeedRow(Guid Id, string Text, string? SaidBy, string RecordedBy, DateTime RecordedAt);
}
