using Dapper;
using Npgsql;
using Samskaping.Access;
using Samskaping.Contracts.Grants;

namespace Samskaping.Coordination.MyWork;

/// <summary>
/// Grants' appeals (klager), kept for "my work". An appeal waits for the municipality from its registration until
/// the municipality decides it: reversed or changed (a new decision), forwarded to statsforvalteren, or dismissed.
/// A forwarded appeal is not shown: it then waits for statsforvalteren, and nothing is for a caseworker to do until
/// the outcome arrives, which grants records; grants' own list of open appeals (<c>/api/grants/appeals/waiting</c>)
/// still shows it with its status, for whoever follows it up.
/// </summary>
public static class AppealStore
{
    /// <summary>
    /// Records a registration. Its facts never change, so a second delivery writes the same values; a decision that
    /// arrived first (a retry can reorder them) is kept, and the appeal then does not wait.
    /// </summary>
    public static Task Received(AppealReceived appeal, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO coordination.appeals (appeal_id, case_id, grant_id, letter_id, received_on, deadline, late)
            VALUES (@AppealId, @CaseId, @GrantId, @LetterId, @ReceivedOn, @Deadline, @Late)
            ON CONFLICT (appeal_id) DO UPDATE
            SET letter_id = EXCLUDED.letter_id, received_on = EXCLUDED.received_on, deadline = EXCLUDED.deadline, late = EXCLUDED.late
            """, appeal, tx, cancellationToken: ct));

    /// <summary>
    /// Records a decision, also before its registration has arrived (the row then waits for it). A final decision
    /// (anything but forwarded) is never replaced by a forwarding that arrives after it, and of two decisions of the
    /// same kind the later one stands: a forwarded appeal's outcome from statsforvalteren is its last word.
    /// </summary>
    public static Task Decided(AppealDecided decided, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO coordination.appeals (appeal_id, case_id, grant_id, decision, decided_at)
            VALUES (@AppealId, @CaseId, @GrantId, @Decision, @DecidedAt)
            ON CONFLICT (appeal_id) DO UPDATE
            SET decision = EXCLUDED.decision, decided_at = EXCLUDED.decided_at
            WHERE appeals.decision IS NULL
               OR (EXCLUDED.decision <> @forwarded, EXCLUDED.decided_at) > (appeals.decision <> @forwarded, appeals.decided_at)
            """, new { decided.AppealId, decided.CaseId, decided.GrantId, decided.Decision, decided.DecidedAt, forwarded = AppealDecisions.Forwarded },
            tx, cancellationToken: ct));

    /// <summary>
    /// The appeals waiting for the municipality on cases the caller may see, the nearest deadline first. Unlike
    /// measures, an appeal on a closed case is still listed: the family's right to have the decision reviewed does
    /// not end with the case.
    /// </summary>
    public static async Task<IReadOnlyList<AppealWaiting>> Waiting(DynamicParameters access, NpgsqlConnection connection, CancellationToken ct) =>
        [.. await connection.QueryAsync<AppealWaiting>(new CommandDefinition(
            $"""
            SELECT a.appeal_id AS AppealId, a.case_id AS CaseId, a.grant_id AS GrantId, a.received_on AS ReceivedOn, a.deadline, a.late
            FROM coordination.appeals a
            WHERE a.status = 'waiting' AND {CaseAccess.VisiblePredicate("a.case_id")}
            ORDER BY a.deadline, a.received_on, a.appeal_id
            """, access, cancellationToken: ct))];
}
