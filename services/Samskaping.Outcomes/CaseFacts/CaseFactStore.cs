using Dapper;
using Npgsql;

namespace Samskaping.Outcomes.CaseFacts;

/// <summary>What group reports are split by, kept from other services' events: the lead sector, the household's
/// members (role and birth date, for family type and age band) and the grants paid.</summary>
public static class CaseFactStore
{
    public static Task Activated(Guid caseId, DateTimeOffset at, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outcomes.case_facts (case_id, activated_at) VALUES (@caseId, @at)
            ON CONFLICT (case_id) DO UPDATE SET activated_at = COALESCE(outcomes.case_facts.activated_at, excluded.activated_at)
            """, new { caseId, at }, tx, cancellationToken: ct));

    /// <summary>
    /// The case closed (<paramref name="closed"/>) or was reopened at <paramref name="at"/>. Kept as history, and the
    /// case counts as closed when its newest change is a closing: CaseClosed and a later reopen may arrive in either order.
    /// </summary>
    public static Task LifecycleChanged(Guid caseId, bool closed, DateTimeOffset at, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outcomes.case_lifecycle (case_id, changed_at, closed) VALUES (@caseId, @at, @closed) ON CONFLICT DO NOTHING;
            INSERT INTO outcomes.case_facts (case_id, closed_at)
            SELECT @caseId, CASE WHEN l.closed THEN l.changed_at END
            FROM outcomes.case_lifecycle l WHERE l.case_id = @caseId ORDER BY l.changed_at DESC LIMIT 1
            ON CONFLICT (case_id) DO UPDATE SET closed_at = excluded.closed_at;
            """, new { caseId, closed, at }, tx, cancellationToken: ct));

    /// <summary>The lead sector as of <paramref name="since"/>, unless a newer one is known: reports group a case under one sector.</summary>
    public static Task Lead(Guid caseId, string sector, DateTimeOffset since, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outcomes.case_facts (case_id, lead_sector, lead_since) VALUES (@caseId, @sector, @since)
            ON CONFLICT (case_id) DO UPDATE SET lead_sector = excluded.lead_sector, lead_since = excluded.lead_since
                WHERE outcomes.case_facts.lead_since IS NULL OR outcomes.case_facts.lead_since <= excluded.lead_since
            """, new { caseId, sector, since }, tx, cancellationToken: ct));

    public static Task Member(Guid caseId, Guid personId, string role, DateOnly birthDate, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outcomes.household_members (case_id, person_id, role, birth_date) VALUES (@caseId, @personId, @role, @birthDate::date)
            ON CONFLICT (case_id, person_id) DO UPDATE SET role = excluded.role, birth_date = excluded.birth_date
                WHERE outcomes.household_members.corrected_at IS NULL
            """, new { caseId, personId, role, birthDate = birthDate.ToDateTime(TimeOnly.MinValue) }, tx, cancellationToken: ct));

    /// <summary>
    /// A member's record corrected in cases: the member's role and birth date as they are after the correction, in
    /// every case that knows the member (a person id is one household's record), unless a later correction is known.
    /// </summary>
    public static Task MemberCorrected(Guid caseId, Guid personId, string role, DateOnly birthDate, DateTimeOffset correctedAt, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outcomes.household_members (case_id, person_id, role, birth_date, corrected_at)
            VALUES (@caseId, @personId, @role, @birthDate::date, @correctedAt)
            ON CONFLICT (case_id, person_id) DO UPDATE SET role = excluded.role, birth_date = excluded.birth_date, corrected_at = excluded.corrected_at
                WHERE outcomes.household_members.corrected_at IS NULL OR outcomes.household_members.corrected_at <= excluded.corrected_at;
            UPDATE outcomes.household_members SET role = @role, birth_date = @birthDate::date, corrected_at = @correctedAt
            WHERE person_id = @personId AND case_id <> @caseId AND (corrected_at IS NULL OR corrected_at <= @correctedAt);
            """, new { caseId, personId, role, birthDate = birthDate.ToDateTime(TimeOnly.MinValue), correctedAt }, tx, cancellationToken: ct));

    public static Task Paid(Guid disbursementId, Guid caseId, decimal amount, DateOnly paidOn, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outcomes.disbursements_paid (disbursement_id, case_id, amount, paid_on) VALUES (@disbursementId, @caseId, @amount, @paidOn::date)
            ON CONFLICT (disbursement_id) DO NOTHING
            """, new { disbursementId, caseId, amount, paidOn = paidOn.ToDateTime(TimeOnly.MinValue) }, tx, cancellationToken: ct));

    public static async Task<HouseholdMember?> FindMember(NpgsqlConnection connection, Guid caseId, Guid personId, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(
            "SELECT person_id AS PersonId, role, birth_date AS BirthDate FROM outcomes.household_members WHERE case_id = @caseId AND person_id = @personId",
            new { caseId, personId }, cancellationToken: ct));
        return row is { } r ? new HouseholdMember(r.PersonId, r.Role, r.BirthDate) : null;
    }

    private sealed record MemberRow(Guid PersonId, string Role, DateOnly BirthDate);
}

public sealed record HouseholdMember(Guid PersonId, string Role, DateOnly BirthDate)
{
    public int AgeOn(DateOnly day)
    {
        var age = day.Year - BirthDate.Year;
        return BirthDate.AddYears(age) > day ? age - 1 : age;
    }
}
