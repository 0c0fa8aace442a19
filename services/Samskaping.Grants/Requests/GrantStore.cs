using Dapper;
using Npgsql;
using Samskaping.Access;
using Samskaping.Grants.Funds;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Requests;

/// <summary>What grants knows of a case, from cases' events.</summary>
/// <param name="HouseholdId">The case's household; a case whose household is not (yet) known counts as its own household.</param>
public sealed record GrantCaseFacts(Guid CaseId, Guid HouseholdId, bool Opened, DateTimeOffset? ClosedAt);

public sealed record InstalmentView(int Number, decimal Amount, DateOnly? DueOn);

public sealed record DisbursementView(
    Guid Id, int Number, decimal Amount, DateOnly DueOn, string Status, DateOnly? PaidOn, string? PaymentReference, string? Reason,
    DateTimeOffset PlannedAt, DateTimeOffset? ChangedAt);

public sealed record GrantView(
    Guid Id,
    Guid CaseId,
    Guid HouseholdId,
    Guid FundId,
    decimal Amount,
    string Purpose,
    string? Category,
    Payee Payee,
    string Status,
    string RequestedBy,
    string RequestedBySector,
    DateTimeOffset RequestedAt,
    string? DecidedBy,
    string? SecondApprover,
    DateTimeOffset? DecidedAt,
    string? DeclineReason,
    IReadOnlyList<InstalmentView> Instalments,
    IReadOnlyList<DisbursementView> Disbursements);

/// <summary>The fields of a grant a decision needs, read under a row lock.</summary>
public sealed record GrantRow(
    Guid Id, Guid CaseId, Guid HouseholdId, Guid FundId, decimal Amount, string Purpose, string? Category, string PayeeKind, string PayeeName,
    string AccountNumber, string? OrganisationNumber, string Status, string RequestedBy, string? RequestedByName)
{
    /// <summary>The requester as a letter names them (the subject for grants requested before names were kept).</summary>
    public string RequesterName => RequestedByName ?? RequestedBy;
}

/// <summary>What a decision on a grant needs from the database: the grant, its fund with balances, the household's use of the fund.</summary>
public sealed record GrantDecisionFacts(GrantView Grant, FundView Fund, decimal HouseholdCommitted);

/// <summary>
/// The grants of cases: the reads, on the request's connection with their access-log entry, and the statements the
/// changes (<see cref="GrantDecisions"/>) make in their transaction.
/// </summary>
public sealed class GrantStore(AccessLog accessLog)
{
    /// <summary>The same 404 whether the grant is missing or in a case the caller may not see (<see cref="Refusal.CaseNotFound"/>).</summary>
    public static Refusal NotFound(Guid grantId) =>
        Refusal.NotFound("Grant not found.", $"There is no grant {grantId} in a case your sector takes part in.");

    /// <summary>The case a grant belongs to, for the access check (<see cref="CaseOf"/>); null when there is no such grant.</summary>
    public static Task<Guid?> CaseOf(Guid grantId, NpgsqlConnection connection, CancellationToken ct) =>
        connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT case_id FROM grants.grants WHERE id = @grantId", new { grantId }, cancellationToken: ct));

    /// <summary>A grant of a case the caller may see (the route's access check found it), access-logged.</summary>
    public async Task<GrantView> Read(NpgsqlConnection connection, Guid grantId, CurrentUser user, CancellationToken ct)
    {
        var grant = (await Views(connection, null, "g.id = @grantId", new { grantId }, ct)).Single();
        await accessLog.Write(user, grant.CaseId, null, AccessActions.Read, "read grant", connection, ct);
        return grant;
    }

    /// <summary>What deciding a grant of a case the caller may see needs, access-logged.</summary>
    public async Task<GrantDecisionFacts> ReadForDecision(NpgsqlConnection connection, Guid grantId, CurrentUser user, CancellationToken ct)
    {
        var grant = (await Views(connection, null, "g.id = @grantId", new { grantId }, ct)).Single();
        var fund = (await FundStore.WithBalances(connection, null, grant.FundId, ct))!;
        var committed = await HouseholdCommitted(connection, grant.FundId, grant.HouseholdId, ct);
        await accessLog.Write(user, grant.CaseId, null, AccessActions.Read, "grant decision view", connection, ct);
        return new GrantDecisionFacts(grant, fund, committed);
    }

    /// <summary>
    /// Requested grants above their fund's threshold, which only a second approver may approve, in the cases the
    /// caller sees (oldest first); each case listed is access-logged.
    /// </summary>
    public async Task<IReadOnlyList<GrantView>> AwaitingSecondApproval(NpgsqlConnection connection, CaseAccess access, CurrentUser user, CancellationToken ct)
    {
        var waiting = await Views(connection, null,
            $"""
            g.status = 'requested'
            AND g.amount > (SELECT f.approval_threshold FROM grants.funds f WHERE f.id = g.fund_id)
            AND {CaseAccess.VisiblePredicate("g.case_id")}
            """, access.Parameters(user), ct);
        await accessLog.WriteMany(user, waiting.Select(g => g.CaseId).Distinct().Select(AccessSubject.Case), AccessActions.List,
            "grants awaiting a second approver", connection, ct);
        return waiting;
    }

    public static async Task<GrantCaseFacts?> CaseFacts(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid caseId, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<CaseRow>(new CommandDefinition(
            "SELECT case_id AS CaseId, household_id AS HouseholdId, opened_at IS NOT NULL AS Opened, closed_at AS ClosedAt FROM grants.cases WHERE case_id = @caseId",
            new { caseId }, tx, cancellationToken: ct));
        return row is null ? null : new GrantCaseFacts(row.CaseId, row.HouseholdId ?? row.CaseId, row.Opened, row.ClosedAt?.AsUtc());
    }

    public static Task Insert(NpgsqlTransaction tx, Guid grantId, GrantCaseFacts facts, GrantRequest request, CurrentUser user, DateTimeOffset now, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO grants.grants (id, case_id, household_id, fund_id, amount, purpose, category, payee_kind, payee_name,
                                       account_number, organisation_number, status, requested_by, requested_by_sector, requested_at, requested_by_name)
            VALUES (@grantId, @caseId, @householdId, @fundId, @amount, @purpose, @category, @payeeKind, @payeeName,
                    @accountNumber, @organisationNumber, 'requested', @subject, @sector, @now, @name);
            INSERT INTO grants.instalments (grant_id, number, amount, due_on)
            SELECT @grantId, number, amount, due_on FROM unnest(@numbers, @amounts, @dues) AS i(number, amount, due_on);
            """,
            new
            {
                grantId, caseId = facts.CaseId, householdId = facts.HouseholdId, fundId = request.FundId, amount = request.Amount,
                purpose = request.Purpose, category = request.Category, payeeKind = request.Payee.Kind, payeeName = request.Payee.Name,
                accountNumber = request.Payee.AccountNumber, organisationNumber = request.Payee.OrganisationNumber,
                subject = user.Subject, sector = user.Sector, now, name = user.Name,
                numbers = request.Instalments.Select(i => i.Number).ToArray(),
                amounts = request.Instalments.Select(i => i.Amount).ToArray(),
                dues = request.Instalments.Select(i => i.DueOn is { } d ? d.ToDateTime(TimeOnly.MinValue) : (DateTime?)null).ToArray(),
            }, tx, cancellationToken: ct));

    public static Task<GrantRow?> Lock(NpgsqlTransaction tx, Guid grantId, CancellationToken ct) =>
        tx.Connection!.QuerySingleOrDefaultAsync<GrantRow>(new CommandDefinition(
            """
            SELECT id AS Id, case_id AS CaseId, household_id AS HouseholdId, fund_id AS FundId, amount AS Amount, purpose AS Purpose,
                   category AS Category, payee_kind AS PayeeKind, payee_name AS PayeeName, account_number AS AccountNumber,
                   organisation_number AS OrganisationNumber, status AS Status, requested_by AS RequestedBy,
                   requested_by_name AS RequestedByName
            FROM grants.grants WHERE id = @grantId FOR UPDATE
            """, new { grantId }, tx, cancellationToken: ct));

    /// <param name="decidedBy">The deciding worker, or the requester when a second approver approved (four eyes).</param>
    public static Task MarkApproved(NpgsqlTransaction tx, Guid grantId, string decidedBy, string? secondApprover, DateTimeOffset now, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE grants.grants SET status = 'approved', decided_by = @decidedBy, second_approver = @secondApprover, decided_at = @now,
                                     decline_reason = NULL
            WHERE id = @grantId AND status IN ('requested', 'declined')
            """, new { grantId, decidedBy, secondApprover, now }, tx, cancellationToken: ct));

    /// <summary>
    /// Grants less than asked for (delvis innvilget) of a one-off grant: the grant's amount and its one instalment
    /// become what is granted, and what was asked for is kept for the letter.
    /// </summary>
    public static Task GrantLess(NpgsqlTransaction tx, Guid grantId, decimal granted, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE grants.grants SET requested_amount = coalesce(requested_amount, amount), amount = @granted WHERE id = @grantId;
            UPDATE grants.instalments SET amount = @granted WHERE grant_id = @grantId;
            """, new { grantId, granted }, tx, cancellationToken: ct));

    /// <summary>What the family asked for (a partly granted grant keeps it beside the amount granted).</summary>
    public static Task<decimal> AskedFor(NpgsqlTransaction tx, Guid grantId, CancellationToken ct) =>
        tx.Connection!.ExecuteScalarAsync<decimal>(new CommandDefinition(
            "SELECT coalesce(requested_amount, amount) FROM grants.grants WHERE id = @grantId", new { grantId }, tx, cancellationToken: ct));

    /// <summary>
    /// Raises an approved grant to <paramref name="amount"/> (never past what was asked for) with who decided it now.
    /// Its payment plan follows: <paramref name="increase"/> is added to the instalment of that number, or is a new
    /// instalment when <paramref name="added"/> (the earlier payments have left). False when the grant was not approved
    /// below that amount.
    /// </summary>
    public static async Task<bool> Raise(
        NpgsqlTransaction tx, Guid grantId, decimal amount, Instalment increase, bool added, string decidedBy, string? secondApprover, DateTimeOffset now,
        CancellationToken ct)
    {
        var raised = await tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE grants.grants SET amount = @amount, decided_by = @decidedBy, second_approver = @secondApprover, decided_at = @now
            WHERE id = @grantId AND status = 'approved' AND amount < @amount AND @amount <= coalesce(requested_amount, amount)
            """, new { grantId, amount, decidedBy, secondApprover, now }, tx, cancellationToken: ct));
        if (raised != 1)
        {
            return false;
        }
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            added
                ? "INSERT INTO grants.instalments (grant_id, number, amount, due_on) VALUES (@grantId, @Number, @Amount, @DueOn)"
                : "UPDATE grants.instalments SET amount = amount + @Amount WHERE grant_id = @grantId AND number = @Number",
            new { grantId, increase.Number, increase.Amount, DueOn = increase.DueOn?.ToDateTime(TimeOnly.MinValue) }, tx, cancellationToken: ct));
        return true;
    }

    public static Task MarkDeclined(NpgsqlTransaction tx, Guid grantId, string decidedBy, string reason, DateTimeOffset now, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE grants.grants SET status = 'declined', decided_by = @decidedBy, decided_at = @now, decline_reason = @reason
            WHERE id = @grantId AND status = 'requested'
            """, new { grantId, decidedBy, reason, now }, tx, cancellationToken: ct));

    public static async Task<IReadOnlyList<Instalment>> Instalments(NpgsqlTransaction tx, Guid grantId, CancellationToken ct)
    {
        var rows = await tx.Connection!.QueryAsync<InstalmentRow>(new CommandDefinition(
            "SELECT grant_id AS GrantId, number AS Number, amount AS Amount, due_on AS DueOn FROM grants.instalments WHERE grant_id = @grantId ORDER BY number",
            new { grantId }, tx, cancellationToken: ct));
        return rows.Select(r => new Instalment(r.Number, r.Amount, r.DueOn)).ToList();
    }

    /// <summary>
    /// Adds <paramref name="amount"/> to what the household has from the fund, only if it stays within the cap:
    /// a conditional update of the household's row (which also serialises decisions for that household). Returns
    /// null when done, or what the household already has when the cap would be exceeded.
    /// </summary>
    public static async Task<decimal?> CommitToHousehold(NpgsqlTransaction tx, Guid fundId, Guid householdId, decimal amount, CancellationToken ct)
    {
        var connection = tx.Connection!;
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO grants.household_usage (fund_id, household_id) VALUES (@fundId, @householdId) ON CONFLICT DO NOTHING",
            new { fundId, householdId }, tx, cancellationToken: ct));
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE grants.household_usage u SET committed = u.committed + @amount
            FROM grants.funds f
            WHERE u.fund_id = @fundId AND u.household_id = @householdId AND f.id = u.fund_id AND u.committed + @amount <= f.household_cap
            """, new { fundId, householdId, amount }, tx, cancellationToken: ct));
        if (updated == 1)
        {
            return null;
        }
        return await connection.ExecuteScalarAsync<decimal>(new CommandDefinition(
            "SELECT committed FROM grants.household_usage WHERE fund_id = @fundId AND household_id = @householdId",
            new { fundId, householdId }, tx, cancellationToken: ct));
    }

    /// <summary>Gives back to the household's cap what a stopped or cancelled payment no longer uses.</summary>
    public static Task ReleaseFromHousehold(NpgsqlTransaction tx, Guid fundId, Guid householdId, decimal amount, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE grants.household_usage SET committed = committed - @amount WHERE fund_id = @fundId AND household_id = @householdId",
            new { fundId, householdId, amount }, tx, cancellationToken: ct));

    private static async Task<decimal> HouseholdCommitted(NpgsqlConnection connection, Guid fundId, Guid householdId, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<decimal?>(new CommandDefinition(
            "SELECT committed FROM grants.household_usage WHERE fund_id = @fundId AND household_id = @householdId",
            new { fundId, householdId }, cancellationToken: ct)) ?? 0;

    public static async Task<GrantView?> View(NpgsqlTransaction tx, Guid grantId, CancellationToken ct) =>
        (await Views(tx.Connection!, tx, "g.id = @grantId", new { grantId }, ct)).SingleOrDefault();

    public static Task<IReadOnlyList<GrantView>> ForCase(NpgsqlConnection connection, Guid caseId, CancellationToken ct) =>
        Views(connection, null, "g.case_id = @caseId", new { caseId }, ct);

    /// <summary>Grants matching <paramref name="where"/> (a predicate over alias <c>g</c>), oldest first.</summary>
    public static async Task<IReadOnlyList<GrantView>> Views(NpgsqlConnection connection, NpgsqlTransaction? tx, string where, object parameters, CancellationToken ct)
    {
        var grants = (await connection.QueryAsync<ViewRow>(new CommandDefinition(
            $"""
            SELECT g.id AS Id, g.case_id AS CaseId, g.household_id AS HouseholdId, g.fund_id AS FundId, g.amount AS Amount, g.purpose AS Purpose,
                   g.category AS Category, g.payee_kind AS PayeeKind, g.payee_name AS PayeeName, g.account_number AS AccountNumber,
                   g.organisation_number AS OrganisationNumber, g.status AS Status, g.requested_by AS RequestedBy,
                   g.requested_by_sector AS RequestedBySector, g.requested_at AS RequestedAt, g.decided_by AS DecidedBy,
                   g.second_approver AS SecondApprover, g.decided_at AS DecidedAt, g.decline_reason AS DeclineReason
            FROM grants.grants g WHERE {where} ORDER BY g.requested_at, g.id
            """, parameters, tx, cancellationToken: ct))).ToList();
        if (grants.Count == 0)
        {
            return [];
        }
        var ids = grants.Select(g => g.Id).ToArray();
        var instalments = (await connection.QueryAsync<InstalmentRow>(new CommandDefinition(
            "SELECT grant_id AS GrantId, number AS Number, amount AS Amount, due_on AS DueOn FROM grants.instalments WHERE grant_id = ANY (@ids) ORDER BY number",
            new { ids }, tx, cancellationToken: ct))).ToLookup(i => i.GrantId);
        var disbursements = (await connection.QueryAsync<DisbursementRow>(new CommandDefinition(
            """
            SELECT grant_id AS GrantId, id AS Id, number AS Number, amount AS Amount, due_on AS DueOn, status AS Status, paid_on AS PaidOn,
                   payment_reference AS PaymentReference, reason AS Reason, planned_at AS PlannedAt, changed_at AS ChangedAt
            FROM grants.disbursements WHERE grant_id = ANY (@ids) ORDER BY number
            """, new { ids }, tx, cancellationToken: ct))).ToLookup(d => d.GrantId);
        return grants.Select(g => new GrantView(
            g.Id, g.CaseId, g.HouseholdId, g.FundId, g.Amount, g.Purpose, g.Category,
            new Payee(g.PayeeKind, g.PayeeName, g.AccountNumber, g.OrganisationNumber),
            g.Status, g.RequestedBy, g.RequestedBySector, g.RequestedAt.AsUtc(), g.DecidedBy, g.SecondApprover, g.DecidedAt?.AsUtc(), g.DeclineReason,
            instalments[g.Id].Select(i => new InstalmentView(i.Number, i.Amount, i.DueOn)).ToList(),
            disbursements[g.Id].Select(d => new DisbursementView(
                d.Id, d.Number, d.Amount, d.DueOn, d.Status, d.PaidOn,
                d.PaymentReference, d.Reason, d.PlannedAt.AsUtc(), d.ChangedAt?.AsUtc())).ToList())).ToList();
    }

    private sealed record CaseRow(Guid CaseId, Guid? HouseholdId, bool Opened, DateTime? ClosedAt);

    private sealed record InstalmentRow(Guid GrantId, int Number, decimal Amount, DateOnly? DueOn);

    private sealed record ViewRow(
        Guid Id, Guid CaseId, Guid HouseholdId, Guid FundId, decimal Amount, string Purpose, string? Category, string PayeeKind, string PayeeName,
        string AccountNumber, string? OrganisationNumber, string Status, string RequestedBy, string RequestedBySector, DateTime RequestedAt,
        string? DecidedBy, string? SecondApprover, DateTime? DecidedAt, string? DeclineReason);

    private sealed record DisbursementRow(
        Guid GrantId, Guid Id, int Number, decimal Amount, DateOnly DueOn, string Status, DateOnly? PaidOn, string? PaymentReference,
        string? Reason, DateTime PlannedAt, DateTime? ChangedAt);
}
