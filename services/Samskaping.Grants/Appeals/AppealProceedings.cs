using Dapper;
using Npgsql;
using Samskaping.Access;
using Samskaping.Contracts.Grants;
using Samskaping.Grants.Idempotency;
using Samskaping.Grants.Letters;
using Samskaping.Grants.Requests;
using Samskaping.Messaging.Database;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Appeals;

/// <summary>
/// Appeals (klage, forvaltningsloven §§ 28–34) on a grant's decision in force: registered with the family's words and
/// whether they came in time; the decision-maker reverses or changes the decision (a new decision and letter that
/// replaces the appealed one, in the same transaction) or forwards the appeal to statsforvalteren, whose outcome is recorded later.
/// Each step is one transaction with its event in the outbox and its access-log entry.
/// </summary>
public sealed class AppealProceedings(
    DbSession session, IdempotentRequests idempotency, GrantDecisions decisions, OutboxWriter outbox, AccessLog accessLog, CaseAccess access,
    TimeProvider clock)
{
    private const string Columns = """
        a.id AS Id, a.grant_id AS GrantId, a.case_id AS CaseId, a.letter_id AS LetterId, a.received_on AS ReceivedOn, a.appellant AS Appellant,
        a.text AS Text, a.deadline AS Deadline, a.late AS Late, a.status AS Status, a.registered_by AS RegisteredBy, a.registered_at AS RegisteredAt,
        a.new_letter_id AS NewLetterId, a.forward_note AS ForwardNote, a.outcome AS Outcome, a.outcome_on AS OutcomeOn, a.outcome_note AS OutcomeNote,
        a.decided_by AS DecidedBy, a.decided_at AS DecidedAt
        """;

    public static Refusal NotFound(Guid appealId) =>
        Refusal.NotFound("Appeal not found.", $"There is no appeal {appealId} in a case your sector takes part in.");

    public static Task<Guid?> CaseOf(Guid appealId, NpgsqlConnection connection, CancellationToken ct) =>
        connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT case_id FROM grants.appeals WHERE id = @appealId", new { appealId }, cancellationToken: ct));

    public async Task<Result<AppealView>> Register(Guid grantId, DateOnly receivedOn, string appellant, string text, CurrentUser user, CancellationToken ct)
    {
        await using var tx = await session.BeginTransaction(ct);
        var now = clock.Now();
        var grant = (await GrantStore.Lock(tx, grantId, ct))!;
        if (await DecisionLetters.Current(tx, grantId, ct) is not { } letter)
        {
            return Refusal.Conflict("The grant has no decision to appeal.", $"It is {grant.Status}: an appeal is on a decision and its letter.");
        }
        if (receivedOn < NorwegianCalendar.DayOf(letter.IssuedAt))
        {
            return Refusal.Unprocessable("Received before the decision.", "receivedOn",
                $"Not before the decision's letter was issued ({NorwegianCalendar.DayOf(letter.IssuedAt):yyyy-MM-dd}).");
        }
        var open = await tx.Connection!.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT id FROM grants.appeals WHERE letter_id = @id AND status IN ('received', 'forwarded')", new { letter.Id }, tx, cancellationToken: ct));
        if (open is { } openId)
        {
            return Refusal.Conflict("An appeal on this decision is open already.", $"Add to appeal {openId} instead of registering another.");
        }
        var id = Guid.CreateVersion7(now);
        var late = AppealDeadline.IsLate(receivedOn, letter.AppealDeadline);
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO grants.appeals (id, grant_id, case_id, letter_id, received_on, appellant, text, deadline, late, status, registered_by, registered_at)
            VALUES (@id, @grantId, @caseId, @letterId, @receivedOn, @appellant, @text, @deadline, @late, 'received', @by, @now)
            """,
            new
            {
                id, grantId, caseId = grant.CaseId, letterId = letter.Id, receivedOn = receivedOn.ToDateTime(TimeOnly.MinValue), appellant, text,
                deadline = letter.AppealDeadline.ToDateTime(TimeOnly.MinValue), late, by = user.Subject, now,
            }, tx, cancellationToken: ct));
        await outbox.Enqueue(new AppealReceived(grant.CaseId, grantId, id, letter.Id, receivedOn, letter.AppealDeadline, late, user.Subject, now), tx, ct);
        await accessLog.Write(user, grant.CaseId, null, AccessActions.Create, "register appeal", tx, ct);
        var view = (await Views(tx.Connection!, tx, "a.id = @id", new { id }, ct))[0];
        await tx.CommitAsync(ct);
        return view;
    }

    /// <summary>
    /// The decision-maker changes the appealed decision in the family's favour: a refusal into a grant, or a partly
    /// granted decision into a larger grant. Either way a new decision whose letter replaces the appealed one.
    /// </summary>
    public Task<Result<AppealView>> Reverse(Guid appealId, ApprovalTerms terms, string key, CurrentUser user, CancellationToken ct) =>
        idempotency.Run<AppealView>(key, user, $"POST /api/grants/appeals/{appealId}/reverse", new { appealId, terms.Amount, terms.Reason }, async (tx, ct) =>
        {
            var appeal = await Lock(tx, appealId, ct);
            if (appeal.Status != AppealStatuses.Received)
            {
                return Refusal.Conflict("The appeal has been dealt with already.", $"It is {appeal.Status}.");
            }
            var letter = (await DecisionLetters.Current(tx, appeal.GrantId, ct))!;
            if (letter.Id != appeal.LetterId)
            {
                return Refusal.Conflict("The appealed decision has been replaced.", $"Letter {letter.Id} is the decision in force now.");
            }
            if (letter.Outcome == DecisionOutcomes.Granted)
            {
                return Refusal.Conflict("The appealed decision granted everything asked for.",
                    "There is nothing to change upward here: forward the appeal to statsforvalteren, or grant more by a new request.");
            }
            var approved = letter.Outcome == DecisionOutcomes.PartlyGranted
                ? await decisions.RaiseIn(tx, appeal.GrantId, terms, user, letter, ct)
                : await decisions.ApproveIn(tx, appeal.GrantId, terms, user, letter, ct);
            if (approved.Refusal is { } refusal)
            {
                return refusal;
            }
            var now = clock.Now();
            var newLetter = (await DecisionLetters.Current(tx, appeal.GrantId, ct))!;
            await Decide(tx, appeal, AppealStatuses.Reversed, AppealDecisions.Reversed, newLetter.Id, null, user, now, ct);
            var view = (await Views(tx.Connection!, tx, "a.id = @appealId", new { appealId }, ct))[0];
            return new Answer<AppealView>(view, null, null) { Posting = approved.Posting, OnRefusal = approved.OnRefusal };
        }, ct);

    /// <summary>The municipality keeps its decision and sends the appeal to statsforvalteren (fvl § 33 fourth paragraph).</summary>
    public Task<Result<AppealView>> Forward(Guid appealId, string? note, CurrentUser user, CancellationToken ct) =>
        Step(appealId, AppealStatuses.Received, async (tx, appeal, now) =>
        {
            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                "UPDATE grants.appeals SET forward_note = @note WHERE id = @Id", new { note, appeal.Id }, tx, cancellationToken: ct));
            await Decide(tx, appeal, AppealStatuses.Forwarded, AppealDecisions.Forwarded, null, null, user, now, ct);
        }, user, ct);

    /// <summary>Statsforvalteren's outcome on a forwarded appeal.</summary>
    public Task<Result<AppealView>> RecordOutcome(Guid appealId, string outcome, DateOnly decidedOn, string? note, CurrentUser user, CancellationToken ct) =>
        Step(appealId, AppealStatuses.Forwarded, (tx, appeal, now) => Decide(tx, appeal, AppealStatuses.Decided, outcome, null, (decidedOn, note), user, now, ct),
            user, ct);

    /// <summary>"My work": appeals waiting for a decision or for statsforvalteren, in the cases the caller sees (access-logged).</summary>
    public async Task<IReadOnlyList<AppealView>> Waiting(NpgsqlConnection connection, CurrentUser user, CancellationToken ct)
    {
        var waiting = await Views(connection, null, $"a.status IN ('received', 'forwarded') AND {CaseAccess.VisiblePredicate("a.case_id")}",
            access.Parameters(user), ct);
        await accessLog.WriteMany(user, waiting.Select(a => a.CaseId).Distinct().Select(AccessSubject.Case), AccessActions.List, "appeals waiting", connection, ct);
        return waiting;
    }

    public async Task<IReadOnlyList<AppealView>> ForGrant(NpgsqlConnection connection, Guid grantId, CurrentUser user, CancellationToken ct)
    {
        var appeals = await Views(connection, null, "a.grant_id = @grantId", new { grantId }, ct);
        if (appeals.Count > 0)
        {
            await accessLog.Write(user, appeals[0].CaseId, null, AccessActions.List, "appeals of a grant", connection, ct);
        }
        return appeals;
    }

    public async Task<AppealView> Read(NpgsqlConnection connection, Guid appealId, CurrentUser user, CancellationToken ct)
    {
        var appeal = (await Views(connection, null, "a.id = @appealId", new { appealId }, ct))[0];
        await accessLog.Write(user, appeal.CaseId, null, AccessActions.Read, "read appeal", connection, ct);
        return appeal;
    }

    private async Task<Result<AppealView>> Step(
        Guid appealId, string from, Func<NpgsqlTransaction, AppealView, DateTimeOffset, Task> change, CurrentUser user, CancellationToken ct)
    {
        await using var tx = await session.BeginTransaction(ct);
        var appeal = await Lock(tx, appealId, ct);
        if (appeal.Status != from)
        {
            return Refusal.Conflict("The appeal is not at that step.", $"It is {appeal.Status}; this needs it to be {from}.");
        }
        await change(tx, appeal, clock.Now());
        var view = (await Views(tx.Connection!, tx, "a.id = @appealId", new { appealId }, ct))[0];
        await tx.CommitAsync(ct);
        return view;
    }

    private async Task Decide(
        NpgsqlTransaction tx, AppealView appeal, string status, string decision, Guid? newLetterId, (DateOnly On, string? Note)? outcome,
        CurrentUser user, DateTimeOffset now, CancellationToken ct)
    {
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE grants.appeals SET status = @status, new_letter_id = @newLetterId, decided_by = @by, decided_at = @now,
                   outcome = @outcome, outcome_on = @outcomeOn, outcome_note = @note
            WHERE id = @Id
            """,
            new
            {
                appeal.Id, status, newLetterId, by = user.Subject, now, outcome = outcome is null ? null : decision,
                outcomeOn = outcome?.On.ToDateTime(TimeOnly.MinValue), note = outcome?.Note,
            }, tx, cancellationToken: ct));
        await outbox.Enqueue(new AppealDecided(appeal.CaseId, appeal.GrantId, appeal.Id, decision, newLetterId, user.Subject, now), tx, ct);
        await accessLog.Write(user, appeal.CaseId, null, AccessActions.Update, $"appeal {decision}", tx, ct);
    }

    private static async Task<AppealView> Lock(NpgsqlTransaction tx, Guid appealId, CancellationToken ct)
    {
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "SELECT 1 FROM grants.appeals WHERE id = @appealId FOR UPDATE", new { appealId }, tx, cancellationToken: ct));
        return (await Views(tx.Connection!, tx, "a.id = @appealId", new { appealId }, ct))[0];
    }

    private static async Task<IReadOnlyList<AppealView>> Views(NpgsqlConnection connection, NpgsqlTransaction? tx, string where, object parameters, CancellationToken ct) =>
        (await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM grants.appeals a WHERE {where} ORDER BY a.registered_at, a.id", parameters, tx, cancellationToken: ct)))
        .Select(r => new AppealView(r.Id, r.GrantId, r.CaseId, r.LetterId, r.ReceivedOn, r.Appellant, r.Text,
            r.Deadline, r.Late, r.Status, r.RegisteredBy, r.RegisteredAt.AsUtc(), r.NewLetterId, r.ForwardNote, r.Outcome,
            r.OutcomeOn, r.OutcomeNote, r.DecidedBy, r.DecidedAt?.AsUtc()))
        .ToList();

    private sealed record Row(
        Guid Id, Guid GrantId, Guid CaseId, Guid LetterId, DateOnly ReceivedOn, string Appellant, string Text, DateOnly Deadline, bool Late,
        string Status, string RegisteredBy, DateTime RegisteredAt, Guid? NewLetterId, string? ForwardNote, string? Outcome, DateOnly? OutcomeOn,
        string? OutcomeNote, string? DecidedBy, DateTime? DecidedAt);
}
