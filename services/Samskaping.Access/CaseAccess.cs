using Dapper;
using Npgsql;
using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Coordination;
using Samskaping.ServiceDefaults;

namespace Samskaping.Access;

/// <summary>
/// Who may see or change a case (docs/architecture.md §5), answered from this service's local read models:
/// the user's sector participates <b>and</b> a valid (begun, not expired, not withdrawn) consent covers that sector
/// for this service's purpose (<see cref="Purpose"/>, docs/privacy.md "Consent: which purpose and which kinds of data
/// gate what") — or the user is the case's lead coordinator. Before any consent has been recorded for a case, the
/// opening sector is covered (it is the one that records the consent at intake); once a consent exists, only consents
/// cover. Everyone else gets 404.
/// </summary>
public sealed class CaseAccess(NpgsqlDataSource dataSource, TimeProvider clock, CaseAccessPurpose purpose)
{
    /// <summary>The consent purpose this service's reads and writes of a case need (a <see cref="ConsentPurposes"/> code).</summary>
    public string Purpose => purpose.Code;

    /// <summary>
    /// A SQL predicate for "the user may see the case whose id is in <c>{caseIdColumn}</c>", for list queries.
    /// Its table aliases are prefixed <c>access_</c>, so they never shadow the caller's.
    /// Needs the parameters <c>@accessSector</c>, <c>@accessSubject</c>, <c>@accessPurpose</c> and <c>@accessNow</c> (see <see cref="Parameters"/>).
    /// Each <c>EXISTS</c> ends in <c>OFFSET 0</c>, which keeps PostgreSQL from turning it into a hashed subplan: under
    /// the <c>OR</c>s it would otherwise hash the whole access table once per query, however few cases the caller's
    /// page or set needs, where probing the table's index per case costs a few rows each.
    /// </summary>
    public static string VisiblePredicate(string caseIdColumn) => Predicate(caseIdColumn, "");

    /// <summary><see cref="VisiblePredicate"/> with <paramref name="consentCondition"/> added to what a consent must name.</summary>
    private static string Predicate(string caseIdColumn, string consentCondition) =>
        $"""
        (
            EXISTS (SELECT 1 FROM access.case_leads access_l WHERE access_l.case_id = {caseIdColumn} AND access_l.coordinator = @accessSubject OFFSET 0)
            OR (
                EXISTS (SELECT 1 FROM access.case_sectors access_s
                        WHERE access_s.case_id = {caseIdColumn} AND access_s.sector = @accessSector AND access_s.participating OFFSET 0)
                AND (
                    EXISTS (SELECT 1 FROM access.case_consents access_c
                            WHERE access_c.case_id = {caseIdColumn} AND @accessSector = ANY (access_c.sectors)
                              AND @accessPurpose = ANY (access_c.purposes) {consentCondition}
                              AND access_c.valid_from <= @accessNow AND (access_c.valid_to IS NULL OR access_c.valid_to > @accessNow)
                              AND (access_c.withdrawn_at IS NULL OR access_c.withdrawn_at > @accessNow) OFFSET 0)
                    OR (
                        NOT EXISTS (SELECT 1 FROM access.case_consents access_c WHERE access_c.case_id = {caseIdColumn} OFFSET 0)
                        AND EXISTS (SELECT 1 FROM access.case_openings access_o WHERE access_o.case_id = {caseIdColumn} AND access_o.sector = @accessSector OFFSET 0)
                    )
                )
            )
        )
        """;

    /// <summary>The parameters <see cref="VisiblePredicate"/> needs, to merge into a Dapper parameter object.</summary>
    public DynamicParameters Parameters(CurrentUser user, object? other = null)
    {
        var parameters = new DynamicParameters(other);
        parameters.Add("accessSector", user.Sector);
        parameters.Add("accessSubject", user.Subject);
        parameters.Add("accessPurpose", purpose.Code);
        parameters.Add("accessNow", clock.GetUtcNow());
        return parameters;
    }

    /// <summary>True when <paramref name="user"/> may see and work on the case.</summary>
    public async Task<bool> CanSee(Guid caseId, CurrentUser user, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await CanSee(caseId, user, connection, ct);
    }

    /// <summary>As <see cref="CanSee(Guid, CurrentUser, CancellationToken)"/>, on the request's connection.</summary>
    public Task<bool> CanSee(Guid caseId, CurrentUser user, NpgsqlConnection connection, CancellationToken ct) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT {VisiblePredicate("@caseId")}", Parameters(user, new { caseId }), cancellationToken: ct));

    /// <summary>
    /// <paramref name="caseId"/> — the case of a grant, disbursement or other thing the caller named — when the user may
    /// see it; null when not, or when the thing has no case because it does not exist. The check is made either way,
    /// so "exists in a case you may not see" and "does not exist" take the same work and cannot be told apart by time.
    /// </summary>
    public async Task<Guid?> Visible(Guid? caseId, CurrentUser user, CancellationToken ct) =>
        await CanSee(caseId ?? Guid.Empty, user, ct) ? caseId : null;

    /// <summary>
    /// Those of <paramref name="categories"/> (<see cref="DataCategories"/> codes) that <paramref name="user"/> may not be
    /// shown for the case: the categories no valid consent covering the user's sector for this service's purpose names.
    /// The rule is <see cref="VisiblePredicate"/>'s with the category added to what the consent must name, so the lead
    /// coordinator, and the opening sector before any consent exists, are shown every category.
    /// </summary>
    public async Task<IReadOnlyList<string>> Withheld(Guid caseId, CurrentUser user, IReadOnlyList<string> categories, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var withheld = await connection.QueryAsync<string>(new CommandDefinition(
            $"""
            SELECT access_k.category FROM unnest(@categories) WITH ORDINALITY AS access_k(category, position)
            WHERE NOT {Predicate("@caseId", "AND access_k.category = ANY (access_c.data_categories)")}
            ORDER BY access_k.position
            """,
            Parameters(user, new { caseId, categories = categories.ToArray() }), cancellationToken: ct));
        return withheld.AsList();
    }

    /// <summary>True when a currently valid consent for the case covers <paramref name="sector"/> for this service's
    /// purpose (coordination asks this before a sector may join).</summary>
    public async Task<bool> ConsentCovers(Guid caseId, string sector, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            SELECT EXISTS (SELECT 1 FROM access.case_consents c
                           WHERE c.case_id = @caseId AND @sector = ANY (c.sectors) AND @purpose = ANY (c.purposes)
                             AND c.valid_from <= @now AND (c.valid_to IS NULL OR c.valid_to > @now)
                             AND (c.withdrawn_at IS NULL OR c.withdrawn_at > @now))
            """,
            new { caseId, sector, purpose = purpose.Code, now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>The subject id of the case's current lead coordinator, when known.</summary>
    public async Task<string?> Lead(Guid caseId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT coordinator FROM access.case_leads WHERE case_id = @caseId", new { caseId }, cancellationToken: ct));
    }

    /// <summary>
    /// A case opens: the opening sector takes part as lead and the opening worker is its first lead coordinator.
    /// <c>CaseOpened</c> says all of it — coordination announces no <c>SectorJoinedCase</c> or
    /// <c>CoordinatorAssigned</c> for the opening — so every service records the three facts from that one event
    /// (or, in cases and coordination, in the transaction that opens the case or its group). One round trip; a newer
    /// participation change or lead already known here is kept.
    /// </summary>
    public static Task RecordOpened(Guid caseId, string sector, string openedBy, DateTimeOffset openedAt, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"{OpeningSql};\n{CaseParticipation.RecordSql};\n{LeadSql}",
            new { caseId, sector, role = "lead", participating = true, coordinator = openedBy, at = openedAt }, tx, cancellationToken: ct));

    /// <summary>Records the opening sector (in the opener's or consumer's transaction).</summary>
    public static Task RecordOpening(Guid caseId, string sector, DateTimeOffset openedAt, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(OpeningSql, new { caseId, sector, at = openedAt }, tx, cancellationToken: ct));

    private const string OpeningSql = """
        INSERT INTO access.case_openings (case_id, sector, opened_at) VALUES (@caseId, @sector, @at)
        ON CONFLICT (case_id) DO NOTHING
        """;

    /// <summary>Records a consent; a withdrawal already known for it is kept.</summary>
    public static Task RecordConsent(ConsentGiven consent, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO access.case_consents (consent_id, case_id, person_id, sectors, purposes, data_categories, valid_from, valid_to)
            VALUES (@ConsentId, @CaseId, @PersonId, @sectors, @purposes, @categories, @ValidFrom, @ValidTo)
            ON CONFLICT (consent_id) DO UPDATE
                SET sectors = excluded.sectors, purposes = excluded.purposes, data_categories = excluded.data_categories,
                    valid_from = excluded.valid_from, valid_to = excluded.valid_to
            """,
            new
            {
                consent.ConsentId,
                consent.CaseId,
                consent.PersonId,
                sectors = consent.Sectors.ToArray(),
                purposes = consent.Purposes.ToArray(),
                categories = consent.DataCategories.ToArray(),
                consent.ValidFrom,
                consent.ValidTo,
            }, tx, cancellationToken: ct));

    /// <summary>Records a withdrawal, even before the consent itself is known here.</summary>
    public static Task RecordWithdrawal(ConsentWithdrawn withdrawal, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO access.case_consents (consent_id, case_id, person_id, withdrawn_at)
            VALUES (@ConsentId, @CaseId, @PersonId, @WithdrawnAt)
            ON CONFLICT (consent_id) DO UPDATE
                SET withdrawn_at = LEAST(COALESCE(access.case_consents.withdrawn_at, excluded.withdrawn_at), excluded.withdrawn_at)
            """,
            new { withdrawal.ConsentId, withdrawal.CaseId, withdrawal.PersonId, withdrawal.WithdrawnAt }, tx, cancellationToken: ct));

    /// <summary>Records the lead coordinator, unless a newer assignment is already known.</summary>
    public static Task RecordLead(CoordinatorAssigned assigned, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            LeadSql,
            new { caseId = assigned.CaseId, coordinator = assigned.Coordinator, sector = assigned.Sector, at = assigned.AssignedAt },
            tx, cancellationToken: ct));

    private const string LeadSql = """
        INSERT INTO access.case_leads (case_id, coordinator, sector, assigned_at)
        VALUES (@caseId, @coordinator, @sector, @at)
        ON CONFLICT (case_id) DO UPDATE
            SET coordinator = excluded.coordinator, sector = excluded.sector, assigned_at = excluded.assigned_at
            WHERE access.case_leads.assigned_at <= excluded.assigned_at
        """;
}

/// <summary>The consent purpose a service's case access needs, given once where its module registers access
/// (<see cref="AccessExtensions.AddCaseAccess"/>).</summary>
public sealed record CaseAccessPurpose(string Code);
