using Dapper;
using Npgsql;
using Samskaping.Access;
using Samskaping.Cases.Cases;
using Samskaping.Cases.Timeline;
using Samskaping.Contracts.Cases;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Consents;

public sealed record ConsentDto(
    Guid Id,
    Guid PersonId,
    Guid GivenByPersonId,
    IReadOnlyList<string> Sectors,
    IReadOnlyList<string> Purposes,
    IReadOnlyList<string> DataCategories,
    DateTimeOffset ValidFrom,
    DateTimeOffset? ValidTo,
    string RecordedBy,
    DateTimeOffset RecordedAt,
    string State,
    DateTimeOffset? WithdrawnAt,
    string? WithdrawnBy,
    string? WithdrawalReason);

/// <summary>
/// Consents of a case: recorded with the access read model (<see cref="CaseAccess"/>) in the same transaction, so
/// the first request after a consent or a withdrawal is already answered by it. Each runs on the request's connection
/// (<see cref="Messaging.Database.DbSession"/>), the one its case-access check used.
/// </summary>
public sealed class ConsentStore(OutboxWriter outbox, AccessLog accessLog, TimeProvider clock)
{
    /// <summary>How the consent history and the events name a citizen who recorded a consent themselves (Min side).</summary>
    public const string CitizenRecorderPrefix = "citizen:";

    /// <summary>
    /// Who recorded or withdrew a consent, as <c>recorded_by</c>, <c>withdrawn_by</c> and the events say it: a worker's
    /// subject, or for a citizen <see cref="CitizenRecorderPrefix"/> and their pseudonymous subject, so a reader
    /// tells the family's own act from a worker's without a sector (a citizen has none).
    /// </summary>
    public static string Recorder(CurrentUser user) => user.Role == Roles.Citizen ? CitizenRecorderPrefix + user.Subject : user.Subject;

    public async Task<Result<ConsentDto>> Give(Guid caseId, ConsentScope scope, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        var outcome = await Record(caseId, scope, user, connection, once: false, ct);
        return outcome.Refusal is { } refusal ? refusal : outcome.Value.Consent;
    }

    /// <summary>
    /// As <see cref="Give"/>, except that a consent the same as one already in force (same person, giver, scope and
    /// end, in force by the time this one would start or now) is answered with that one (<c>Recorded</c> false) and
    /// records nothing: a form sent twice gives one consent. The case row is locked for the check, so two at once
    /// cannot both record; "now" is read after the lock, since the twin that won it may have started a moment later.
    /// </summary>
    public Task<Result<(ConsentDto Consent, bool Recorded)>> GiveOnce(Guid caseId, ConsentScope scope, CurrentUser user, NpgsqlConnection connection, CancellationToken ct) =>
        Record(caseId, scope, user, connection, once: true, ct);

    private async Task<Result<(ConsentDto Consent, bool Recorded)>> Record(
        Guid caseId, ConsentScope scope, CurrentUser user, NpgsqlConnection connection, bool once, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (once)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT 1 FROM cases.cases WHERE id = @caseId FOR NO KEY UPDATE", new { caseId }, tx, cancellationToken: ct));
        }
        if (await CaseStore.RefuseIfClosed(caseId, tx, ct) is { } refusal)
        {
            return refusal;
        }
        var now = clock.Now();
        if (once && await SameInForce(caseId, scope, now, tx, ct) is { } same)
        {
            await tx.CommitAsync(ct);
            return (ToDto(same, now), false);
        }
        var people = (await connection.QueryAsync<(Guid PersonId, DateTime BirthDate)>(new CommandDefinition(
            """
            SELECT p.id, p.birth_date FROM cases.cases c
            JOIN cases.household_members m ON m.household_id = c.household_id JOIN cases.persons p ON p.id = m.person_id
            WHERE c.id = @caseId AND p.id IN (@PersonId, @GivenByPersonId)
            """, new { caseId, scope.PersonId, scope.GivenByPersonId }, tx, cancellationToken: ct))).ToDictionary(p => p.PersonId, p => DateOnly.FromDateTime(p.BirthDate));
        if (!people.TryGetValue(scope.PersonId, out var birthDate))
        {
            return Refusal.Unprocessable(Case.DoesNotFit, "personId", "Not a member of the case's household.");
        }
        if (!people.ContainsKey(scope.GivenByPersonId))
        {
            return Refusal.Unprocessable(Case.DoesNotFit, "givenByPersonId", "Not a member of the case's household.");
        }
        var isGuardian = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            SELECT EXISTS (SELECT 1 FROM cases.guardianships g JOIN cases.cases c ON c.household_id = g.household_id
                           WHERE c.id = @caseId AND g.guardian_id = @GivenByPersonId AND g.child_id = @PersonId)
            """, new { caseId, scope.GivenByPersonId, scope.PersonId }, tx, cancellationToken: ct));
        if (ConsentRules.WhoMayGive(scope.PersonId, birthDate, scope.GivenByPersonId, isGuardian, DateOnly.FromDateTime(now.UtcDateTime)) is { } why)
        {
            return Refusal.Unprocessable(Case.DoesNotFit, "givenByPersonId", why);
        }

        var given = new ConsentGiven(caseId, Guid.CreateVersion7(now), scope.PersonId, scope.GivenByPersonId, scope.Sectors, scope.Purposes,
            scope.DataCategories, scope.ValidFrom, scope.ValidTo, Recorder(user), now);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cases.consents (id, case_id, person_id, given_by_person_id, sectors, purposes, data_categories, valid_from, valid_to, recorded_by, recorded_at)
            VALUES (@ConsentId, @CaseId, @PersonId, @GivenByPersonId, @sectors, @purposes, @categories, @ValidFrom, @ValidTo, @RecordedBy, @GivenAt)
            """,
            new
            {
                given.ConsentId, given.CaseId, given.PersonId, given.GivenByPersonId, sectors = given.Sectors.ToArray(), purposes = given.Purposes.ToArray(),
                categories = given.DataCategories.ToArray(), given.ValidFrom, given.ValidTo, given.RecordedBy, given.GivenAt,
            }, tx, cancellationToken: ct));
        await CaseAccess.RecordConsent(given, tx, ct);
        var by = scope.PersonId == scope.GivenByPersonId ? "by the person themselves" : "by a guardian";
        await TimelineStore.Write(new TimelineEntry(caseId, given.ConsentId, "consent-given",
            $"Consent was given {by}, covering {string.Join(", ", given.Sectors)} for {string.Join(", ", given.Purposes)}.", TimelineEntry.Cases, now), tx, ct);
        await outbox.Enqueue(given, tx, ct);
        await accessLog.Write(user, caseId, scope.PersonId, AccessActions.Create, "record consent", tx, ct);
        await tx.CommitAsync(ct);
        return (ToDto(given), true);
    }

    private static Task<ConsentRow?> SameInForce(Guid caseId, ConsentScope scope, DateTimeOffset now, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.QueryFirstOrDefaultAsync<ConsentRow?>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM cases.consents
            WHERE case_id = @caseId AND person_id = @PersonId AND given_by_person_id = @GivenByPersonId
              AND sectors = @sectors AND purposes = @purposes AND data_categories = @categories
              AND withdrawn_at IS NULL AND valid_from <= GREATEST(@ValidFrom, @now) AND valid_to IS NOT DISTINCT FROM @ValidTo
              AND (valid_to IS NULL OR valid_to > @now)
            ORDER BY recorded_at DESC, id DESC LIMIT 1
            """,
            new
            {
                caseId, scope.PersonId, scope.GivenByPersonId, sectors = scope.Sectors.ToArray(), purposes = scope.Purposes.ToArray(),
                categories = scope.DataCategories.ToArray(), scope.ValidFrom, scope.ValidTo, now,
            }, tx, cancellationToken: ct));

    /// <summary>Withdraws a consent once. A consent is never edited: what changes is only that it was withdrawn.</summary>
    public async Task<Result<ConsentDto>> Withdraw(Guid caseId, Guid consentId, string reason, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.Now();
        var row = await connection.QuerySingleOrDefaultAsync<ConsentRow>(new CommandDefinition(
            $"""
            UPDATE cases.consents SET withdrawn_at = @now, withdrawn_by = @subject, withdrawal_reason = @reason
            WHERE id = @consentId AND case_id = @caseId AND withdrawn_at IS NULL
            RETURNING {Columns}
            """, new { caseId, consentId, now, subject = Recorder(user), reason }, tx, cancellationToken: ct));
        if (row is null)
        {
            var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM cases.consents WHERE id = @consentId AND case_id = @caseId)", new { caseId, consentId }, tx, cancellationToken: ct));
            return exists
                ? Refusal.Conflict("The consent is withdrawn already.", "The consent is withdrawn already. To change what is shared, record a new consent.")
                : Refusal.NotFound("Consent not found.", $"The case {caseId} has no such consent.");
        }
        var withdrawn = new ConsentWithdrawn(caseId, consentId, row.PersonId, reason, Recorder(user), now);
        await CaseAccess.RecordWithdrawal(withdrawn, tx, ct);
        await TimelineStore.Write(new TimelineEntry(caseId, Guid.CreateVersion7(now), "consent-withdrawn",
            $"A consent covering {string.Join(", ", row.Sectors)} was withdrawn.", TimelineEntry.Cases, now), tx, ct);
        await outbox.Enqueue(withdrawn, tx, ct);
        await accessLog.Write(user, caseId, row.PersonId, AccessActions.Update, "withdraw consent", tx, ct);
        await tx.CommitAsync(ct);
        return ToDto(row, now);
    }

    /// <summary>Every consent of the case, withdrawn and expired ones included, newest first.</summary>
    public async Task<IReadOnlyList<ConsentDto>> History(Guid caseId, NpgsqlConnection connection, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var rows = await connection.QueryAsync<ConsentRow>(new CommandDefinition(
            $"SELECT {Columns} FROM cases.consents WHERE case_id = @caseId ORDER BY recorded_at DESC, id DESC", new { caseId }, cancellationToken: ct));
        return [.. rows.Select(r => ToDto(r, now))];
    }

    private const string Columns =
        "id, person_id AS PersonId, given_by_person_id AS GivenByPersonId, sectors, purposes, data_categories AS DataCategories, " +
        "valid_from AS ValidFrom, valid_to AS ValidTo, recorded_by AS RecordedBy, recorded_at AS RecordedAt, " +
        "withdrawn_at AS WithdrawnAt, withdrawn_by AS WithdrawnBy, withdrawal_reason AS WithdrawalReason";

    private ConsentDto ToDto(ConsentGiven given) => new(given.ConsentId, given.PersonId, given.GivenByPersonId, given.Sectors, given.Purposes,
        given.DataCategories, given.ValidFrom, given.ValidTo, given.RecordedBy, given.GivenAt, State(given.ValidFrom, given.ValidTo, null, clock.GetUtcNow()), null, null, null);

    private static ConsentDto ToDto(ConsentRow r, DateTimeOffset now)
    {
        var validFrom = r.ValidFrom.AsUtc();
        var validTo = r.ValidTo?.AsUtc();
        var withdrawnAt = r.WithdrawnAt?.AsUtc();
        return new(r.Id, r.PersonId, r.GivenByPersonId, r.Sectors, r.Purposes, r.DataCategories, validFrom, validTo, r.RecordedBy, r.RecordedAt.AsUtc(),
            State(validFrom, validTo, withdrawnAt, now), withdrawnAt, r.WithdrawnBy, r.WithdrawalReason);
    }

    /// <summary>"withdrawn", "expired", "pending" (starts later) or "valid", as of <paramref name="now"/>.</summary>
    public static string State(DateTimeOffset validFrom, DateTimeOffset? validTo, DateTimeOffset? withdrawnAt, DateTimeOffset now) =>
        withdrawnAt is { } w && w <= now ? "withdrawn"
        : validTo is { } to && to <= now ? "expired"
        : validFrom > now ? "pending"
        : "valid";

    // A class, not a positional record: Dapper matches constructors by the reader's field types, and text[] reads as Array.
    private sealed class ConsentRow
    {
        public Guid Id { get; init; }
        public Guid PersonId { get; init; }
        public Guid GivenByPersonId { get; init; }
        public string[] Sectors { get; init; } = [];
        public string[] Purposes { get; init; } = [];
        public string[] DataCategories { get; init; } = [];
        public DateTime ValidFrom { get; init; }
        public DateTime? ValidTo { get; init; }
        public string RecordedBy { get; init; } = "";
        public DateTime RecordedAt { get; init; }
        public DateTime? WithdrawnAt { get; init; }
        public string? WithdrawnBy { get; init; }
        public string? WithdrawalReason { get; init; }
    }
}
