using Dapper;
using Npgsql;
using Samskaping.Access;
using Samskaping.Cases.Households;
using Samskaping.Cases.PersonalData;
using Samskaping.Cases.Timeline;
using Samskaping.Contracts.Cases;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Cases;

/// <summary>Reads and writes cases. Every change is committed together with its events, its timeline entry and its
/// access-log entry. What concerns one case runs on the request's connection (<see cref="Messaging.Database.DbSession"/>),
/// the one its case-access check used, so a request takes one connection from the pool.</summary>
public sealed partial class CaseStore(
    NpgsqlDataSource dataSource, OutboxWriter outbox, AccessLog accessLog, CaseAccess access, CasesMetrics metrics, TimeProvider clock)
{
    public async Task<Result<Case>> Open(Case opened, CurrentUser user, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (opened.ExistingHousehold)
        {
            // A household the caller works with in another case: a new case for the same family, under its name.
            var known = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                $"""
                SELECT h.name FROM cases.households h
                WHERE h.id = @householdId AND EXISTS (SELECT 1 FROM cases.cases sak WHERE sak.household_id = h.id AND {CaseAccess.VisiblePredicate("sak.id")})
                """, access.Parameters(user, new { householdId = opened.HouseholdId }), tx, cancellationToken: ct));
            if (known is null)
            {
                return Refusal.Unprocessable(Case.DoesNotFit, "householdId", "There is no household with this id in a case your sector takes part in.");
            }
            opened = opened with { HouseholdName = known };
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cases.households (id, name, name_search, created_by, created_at)
                VALUES (@HouseholdId, @HouseholdName, @search, @OpenedBy, @OpenedAt)
                """,
                new { opened.HouseholdId, opened.HouseholdName, search = Search.Normalize(opened.HouseholdName), opened.OpenedBy, opened.OpenedAt }, tx, cancellationToken: ct));
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cases.cases (id, household_name, status, opened_by, opened_by_sector, opened_at, household_id, referral_source, referral_reason)
            VALUES (@Id, @HouseholdName, @Status, @OpenedBy, @OpenedBySector, @OpenedAt, @HouseholdId, @ReferralSource, @ReferralReason)
            """,
            new
            {
                opened.Id, opened.HouseholdName, Status = Case.StatusName(opened.Status), opened.OpenedBy, opened.OpenedBySector, opened.OpenedAt,
                opened.HouseholdId, opened.ReferralSource, opened.ReferralReason,
            }, tx, cancellationToken: ct));
        foreach (var need in opened.Needs)
        {
            await InsertNeed(opened.Id, need, tx, ct);
        }
        // The opening sector participates as lead and the opener is lead coordinator from the first moment, so they
        // can read the case at once (coordination announces no separate event for either).
        await CaseAccess.RecordOpened(opened.Id, opened.OpenedBySector, opened.OpenedBy, opened.OpenedAt, tx, ct);
        await accessLog.Write(user, opened.Id, null, AccessActions.Create, "open case", tx, ct);
        var referral = opened.ReferralSource is null ? "" : opened.ReferralSource == Case.SelfReferral ? " The family referred itself." : $" Referred by {opened.ReferralSource}.";
        await TimelineStore.Write(new TimelineEntry(opened.Id, Guid.CreateVersion7(opened.OpenedAt), "case-opened",
            $"The case was opened by {opened.OpenedBySector}, which leads it.{referral}", TimelineEntry.Cases, opened.OpenedAt), tx, ct);
        await outbox.Enqueue(new CaseOpened(opened.Id, opened.OpenedBy, opened.OpenedBySector, opened.OpenedAt, opened.HouseholdId, opened.ReferralSource,
            user.Name.Length == 0 ? null : user.Name, user.Email.Length == 0 ? null : user.Email), tx, ct);
        await tx.CommitAsync(ct);
        metrics.Opened(opened.OpenedBySector);
        return opened;
    }

    /// <summary>The case with what the household told us, on the request's connection; null when there is no such case.</summary>
    public static async Task<CaseView?> Find(Guid id, NpgsqlConnection connection, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<CaseRow>(new CommandDefinition(
            """
            SELECT c.id, h.name AS HouseholdName, c.status, c.opened_by AS OpenedBy, c.opened_by_sector AS OpenedBySector, c.opened_at AS OpenedAt,
                   c.household_id AS HouseholdId, c.referral_source AS ReferralSource, c.referral_reason AS ReferralReason
            FROM cases.cases c JOIN cases.households h ON h.id = c.household_id WHERE c.id = @id
            """, new { id }, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }
        using var more = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            SELECT id, text, said_by AS SaidBy, recorded_by AS RecordedBy, recorded_at AS RecordedAt
            FROM cases.needs WHERE case_id = @id ORDER BY recorded_at, id;
            SELECT id, text, said_by AS SaidBy, recorded_by AS RecordedBy, recorded_at AS RecordedAt
            FROM cases.resources WHERE case_id = @id ORDER BY recorded_at, id;
            SELECT id, text, proposed_by AS ProposedBy, status, agreed_by AS AgreedBy, agreed_at AS AgreedAt
            FROM cases.goals WHERE case_id = @id ORDER BY agreed_at, id;
            SELECT p.id AS PersonId, p.name, p.birth_date AS BirthDate, m.role, p.identity_number_lookup IS NOT NULL AS HasIdentityNumber,
                   EXISTS (SELECT 1 FROM cases.household_members o
                           WHERE {LookupSql.SameNumber("o", "m")} AND o.household_id <> m.household_id) AS AlsoInOtherHousehold,
                   ARRAY(SELECT g.guardian_id FROM cases.guardianships g WHERE g.household_id = m.household_id AND g.child_id = p.id ORDER BY g.guardian_id) AS Guardians
            FROM cases.household_members m JOIN cases.persons p ON p.id = m.person_id
            WHERE m.household_id = @householdId ORDER BY m.added_at, p.id;
            """, new { id, householdId = row.HouseholdId }, cancellationToken: ct));
        var needs = (await more.ReadAsync<TextRow>()).Select(n => new Need(n.Id, n.Text, n.SaidBy, n.RecordedBy, n.RecordedAt.AsUtc())).ToList();
        var resources = (await more.ReadAsync<TextRow>()).Select(r => new ResourceDto(r.Id, r.Text, r.SaidBy, r.RecordedBy, r.RecordedAt.AsUtc())).ToList();
        var goals = (await more.ReadAsync<GoalRow>()).Select(g => new GoalDto(g.Id, g.Text, g.ProposedBy, g.Status, g.AgreedBy, g.AgreedAt.AsUtc())).ToList();
        var members = (await more.ReadAsync<MemberRow>())
            .Select(m => new MemberDto(m.PersonId, m.Name, DateOnly.FromDateTime(m.BirthDate), m.Role, m.HasIdentityNumber, m.AlsoInOtherHousehold, m.Guardians))
            .ToList();
        var found = new Case(row.Id, row.HouseholdName, Case.ParseStatus(row.Status)!.Value, row.OpenedBy, row.OpenedBySector, row.OpenedAt.AsUtc(), needs)
        {
            HouseholdId = row.HouseholdId,
            ReferralSource = row.ReferralSource,
            ReferralReason = row.ReferralReason,
        };
        return new CaseView(found, members, resources, goals);
    }

    /// <summary>Moves the case, if its current state and guards allow it. The row is locked while deciding, so two
    /// workers moving the same case at once cannot both succeed from the same state.</summary>
    public async Task<Result<CaseStatusChanged>> ChangeStatus(Guid caseId, ChangeStatus request, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.Now();
        var (current, anonymised) = await connection.QuerySingleAsync<(string, bool)>(new CommandDefinition(
            "SELECT status, anonymised_at IS NOT NULL FROM cases.cases WHERE id = @caseId FOR UPDATE", new { caseId }, tx, cancellationToken: ct));
        if (anonymised)
        {
            return Retention.AnonymisationStore.Anonymised(caseId);
        }
        var readiness = await connection.QuerySingleAsync<CaseReadiness>(new CommandDefinition(
            """
            SELECT (SELECT count(*)::int FROM cases.needs WHERE case_id = @caseId) AS Needs,
                   (SELECT count(*)::int FROM cases.consents WHERE case_id = @caseId AND withdrawn_at IS NULL
                      AND valid_from <= @now AND (valid_to IS NULL OR valid_to > @now)) AS ValidConsents
            """, new { caseId, now }, tx, cancellationToken: ct));
        var from = Case.ParseStatus(current)!.Value;
        var decision = CaseLifecycle.Decide(from, request, readiness);
        if (!decision.Errors.IsValid)
        {
            throw new InvalidOperationException("Validate the request before asking the store.");
        }
        if (decision.Conflict is not null)
        {
            return Refusal.Conflict(Case.StateDoesNotAllow, decision.Conflict);
        }

        var changed = new CaseStatusChanged(caseId, current, Case.StatusName(decision.To!.Value), decision.Reason!, user.Subject, user.Sector, now);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE cases.cases SET status = @To, status_changed_at = @ChangedAt WHERE id = @CaseId AND status = @From",
            changed, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cases.status_changes (id, case_id, from_status, to_status, reason, changed_by, changed_at)
            VALUES (@id, @CaseId, @From, @To, @Reason, @ChangedBy, @ChangedAt)
            """, new { id = Guid.CreateVersion7(now), changed.CaseId, changed.From, changed.To, changed.Reason, changed.ChangedBy, changed.ChangedAt }, tx, cancellationToken: ct));
        var reopened = CaseLifecycle.IsReopen(from, decision.To.Value) ? "reopened and " : "";
        await TimelineStore.Write(new TimelineEntry(caseId, Guid.CreateVersion7(now), "status-changed",
            $"The case was {reopened}moved from {changed.From} to {changed.To} by {user.Sector}.", TimelineEntry.Cases, now), tx, ct);
        await outbox.Enqueue(changed, tx, ct);
        if (decision.To == CaseStatus.Closed)
        {
            await outbox.Enqueue(new CaseClosed(caseId, changed.Reason, user.Subject, now), tx, ct);
        }
        await accessLog.Write(user, caseId, null, AccessActions.Update, $"case status {changed.From} -> {changed.To}", tx, ct);
        await tx.CommitAsync(ct);
        if (decision.To == CaseStatus.Closed)
        {
            metrics.Closed(user.Sector);
        }
        return changed;
    }

    public async Task<Result<Need>> AddNeed(Guid caseId, Need need, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await RefuseIfClosed(caseId, tx, ct) is { } refusal)
        {
            return refusal;
        }
        await InsertNeed(caseId, need, tx, ct);
        await accessLog.Write(user, caseId, null, AccessActions.Update, "record need", tx, ct);
        await tx.CommitAsync(ct);
        return need;
    }

    public async Task<Result<ResourceDto>> AddResource(Guid caseId, ResourceDto resource, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await RefuseIfClosed(caseId, tx, ct) is { } refusal)
        {
            return refusal;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cases.resources (id, case_id, text, said_by, recorded_by, recorded_at)
            VALUES (@Id, @caseId, @Text, @SaidBy, @RecordedBy, @RecordedAt)
            """,
            new { resource.Id, caseId, resource.Text, resource.SaidBy, resource.RecordedBy, resource.RecordedAt }, tx, cancellationToken: ct));
        await accessLog.Write(user, caseId, null, AccessActions.Update, "record resource", tx, ct);
        await tx.CommitAsync(ct);
        return resource;
    }

    public async Task<Result<GoalDto>> AgreeGoal(Guid caseId, GoalDto goal, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await RefuseIfClosed(caseId, tx, ct) is { } refusal)
        {
            return refusal;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cases.goals (id, case_id, text, proposed_by, status, agreed_by, agreed_at)
            VALUES (@Id, @caseId, @Text, @ProposedBy, @Status, @AgreedBy, @AgreedAt)
            """,
            new { goal.Id, caseId, goal.Text, goal.ProposedBy, goal.Status, goal.AgreedBy, goal.AgreedAt }, tx, cancellationToken: ct));
        var proposer = goal.ProposedBy == Goals.Goal.Family ? "the family" : goal.ProposedBy;
        await TimelineStore.Write(new TimelineEntry(caseId, goal.Id, "goal-agreed", $"A goal proposed by {proposer} was agreed with the family.",
            TimelineEntry.Cases, goal.AgreedAt), tx, ct);
        await outbox.Enqueue(new GoalAgreed(caseId, goal.Id, goal.Text, goal.ProposedBy, goal.AgreedBy, goal.AgreedAt), tx, ct);
        await accessLog.Write(user, caseId, null, AccessActions.Update, "agree goal", tx, ct);
        await tx.CommitAsync(ct);
        return goal;
    }

    /// <summary>A goal that is still open becomes achieved or abandoned; a goal already ended is a 409.</summary>
    public async Task<Result<GoalDto>> EndGoal(Guid caseId, Guid goalId, string status, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.Now();
        var goal = await connection.QuerySingleOrDefaultAsync<GoalRow>(new CommandDefinition(
            """
            UPDATE cases.goals SET status = @status, status_changed_at = @now
            WHERE id = @goalId AND case_id = @caseId AND status = 'agreed'
            RETURNING id, text, proposed_by AS ProposedBy, status, agreed_by AS AgreedBy, agreed_at AS AgreedAt
            """, new { caseId, goalId, status, now }, tx, cancellationToken: ct));
        if (goal is null)
        {
            var existing = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT status FROM cases.goals WHERE id = @goalId AND case_id = @caseId", new { caseId, goalId }, tx, cancellationToken: ct));
            return existing is null
                ? Refusal.NotFound("Goal not found.", $"The case {caseId} has no such goal.")
                : Refusal.Conflict("The goal has ended already.", $"The goal is {existing}; only an agreed goal can become achieved or abandoned.");
        }
        await TimelineStore.Write(new TimelineEntry(caseId, Guid.CreateVersion7(now), "goal-" + status, $"A goal was marked {status}.", TimelineEntry.Cases, now), tx, ct);
        await accessLog.Write(user, caseId, null, AccessActions.Update, "end goal", tx, ct);
        await tx.CommitAsync(ct);
        return new GoalDto(goal.Id, goal.Text, goal.ProposedBy, goal.Status, goal.AgreedBy, goal.AgreedAt.AsUtc());
    }

    public static async Task<IReadOnlyList<StatusChangeDto>> StatusHistory(Guid caseId, NpgsqlConnection connection, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<StatusChangeRow>(new CommandDefinition(
            """
            SELECT from_status AS FromStatus, to_status AS ToStatus, reason, changed_by AS ChangedBy, changed_at AS ChangedAt
            FROM cases.status_changes WHERE case_id = @caseId ORDER BY changed_at, id
            """, new { caseId }, cancellationToken: ct));
        return [.. rows.Select(r => new StatusChangeDto(r.FromStatus, r.ToStatus, r.Reason, r.ChangedBy, r.ChangedAt.AsUtc()))];
    }

    /// <summary>Needs, resources, goals, members and consents are not added to a closed case: reopen it first.</summary>
    internal static async Task<Refusal?> RefuseIfClosed(Guid caseId, NpgsqlTransaction tx, CancellationToken ct)
    {
        var (status, anonymised) = await tx.Connection!.QuerySingleAsync<(string, bool)>(new CommandDefinition(
            "SELECT status, anonymised_at IS NOT NULL FROM cases.cases WHERE id = @caseId FOR SHARE", new { caseId }, tx, cancellationToken: ct));
        return anonymised ? Retention.AnonymisationStore.Anonymised(caseId)
            : status == CaseStatuses.Closed ? Refusal.Conflict(Case.StateDoesNotAllow, "The case is closed; reopen it first.") : null;
    }

    private static Task<int> InsertNeed(Guid caseId, Need need, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cases.needs (id, case_id, text, said_by, recorded_by, recorded_at)
            VALUES (@Id, @caseId, @Text, @SaidBy, @RecordedBy, @RecordedAt)
            """,
            new { need.Id, caseId, need.Text, need.SaidBy, need.RecordedBy, need.RecordedAt }, tx, cancellationToken: ct));

    private sealed record CaseRow(Guid Id, string HouseholdName, string Status, string OpenedBy, string OpenedBySector, DateTime OpenedAt,
        Guid HouseholdId, string? ReferralSource, string? ReferralReason);

    private sealed record TextRow(Guid Id, string Text, string? SaidBy, string RecordedBy, DateTime RecordedAt);

    private sealed record GoalRow(Guid Id, string Text, string ProposedBy, string Status, string AgreedBy, DateTime AgreedAt);

    // A class, not a positional record: Dapper matches constructors by the reader's field types, and uuid[] reads as Array.
    private sealed class MemberRow
    {
        public Guid PersonId { get; init; }
        public string Name { get; init; } = "";
        public DateTime BirthDate { get; init; }
        public string Role { get; init; } = "";
        public bool HasIdentityNumber { get; init; }
        public bool AlsoInOtherHousehold { get; init; }
        public Guid[] Guardians { get; init; } = [];
    }

    private sealed record StatusChangeRow(string FromStatus, string ToStatus, string Reason, string ChangedBy, DateTime ChangedAt);
}
