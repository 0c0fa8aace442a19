using Dapper;
using Npgsql;
using Samskaping.Access;
using Samskaping.Cases.PersonalData;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Internal;

/// <summary>
/// The reads behind <see cref="InternalApi"/>: identity numbers in clear for another Samskaping service. Each read
/// and its access-log rows are one transaction, so no number leaves without the record that it did.
/// </summary>
public sealed class InternalStore(NpgsqlDataSource dataSource, PersonalDataProtector protector, AccessLog accessLog)
{
    public async Task<Result<IReadOnlyList<InternalMember>>> Members(Guid householdId, CurrentUser caller, string purpose, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM cases.households WHERE id = @householdId)", new { householdId }, tx, cancellationToken: ct));
        if (!exists)
        {
            return Refusal.NotFound("Household not found.", $"There is no household {householdId}.");
        }
        if (caller.ActingFor is { } onBehalfOf && !await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM cases.cases WHERE id = @caseId AND household_id = @householdId)",
                new { onBehalfOf.CaseId, householdId }, tx, cancellationToken: ct)))
        {
            return Refusal.Unprocessable("The read is for another household's case.", OnBehalfOf.CaseHeader,
                $"Case {onBehalfOf.CaseId} is not a case of household {householdId}.");
        }
        var rows = (await connection.QueryAsync<MemberRow>(new CommandDefinition(
            """
            SELECT p.id AS PersonId, m.role AS Role, p.birth_date AS BirthDate, p.identity_number_encrypted AS Encrypted
            FROM cases.household_members m JOIN cases.persons p ON p.id = m.person_id
            WHERE m.household_id = @householdId
            ORDER BY m.added_at, p.id
            """, new { householdId }, tx, cancellationToken: ct))).AsList();
        var members = rows
            .Select(row => new InternalMember(row.PersonId, row.Role, row.BirthDate,
                row.Encrypted is null ? null : protector.Decrypt(row.Encrypted, row.PersonId)))
            .ToList();
        await accessLog.WriteMany(caller, rows.Select(r => new AccessSubject(caller.ActingFor?.CaseId, r.PersonId)), AccessActions.Read, purpose, tx, ct);
        await tx.CommitAsync(ct);
        return members;
    }

    public async Task<Result<InternalApplicant>> Applicant(Guid caseId, CurrentUser caller, string purpose, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<ApplicantRow>(new CommandDefinition(
            """
            SELECT p.id AS PersonId, p.identity_number_encrypted AS Encrypted
            FROM cases.cases sak
            JOIN cases.household_members m ON m.household_id = sak.household_id
            JOIN cases.persons p ON p.id = m.person_id
            WHERE sak.id = @caseId
              AND m.role IN ('parent', 'guardian', 'other-adult')
              AND p.identity_number_encrypted IS NOT NULL
            ORDER BY m.added_at, p.id
            LIMIT 1
            """, new { caseId }, cancellationToken: ct));
        if (row is null)
        {
            return Refusal.NotFound("No applicant.", $"Case {caseId} is unknown or its household has no adult with an identity number yet.");
        }
        await accessLog.Write(caller, caseId, row.PersonId, AccessActions.Read, purpose, connection, ct);
        return new InternalApplicant(row.PersonId, protector.Decrypt(row.Encrypted, row.PersonId));
    }

    public async Task<IReadOnlyList<InternalMembership>> Resolve(IdentityNumber identityNumber, CurrentUser caller, string purpose, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<MembershipRow>(new CommandDefinition(
            $$"""
            SELECT m.person_id AS PersonId, m.household_id AS HouseholdId,
                   coalesce(array_agg(sak.id ORDER BY sak.opened_at) FILTER (WHERE sak.id IS NOT NULL), '{}') AS CaseIds
            FROM cases.household_members m
            LEFT JOIN cases.cases sak ON sak.household_id = m.household_id
            WHERE {{LookupSql.MatchesAny("m")}}
            GROUP BY m.person_id, m.household_id
            ORDER BY m.household_id
            """, new { lookups = protector.LookupHashesOf(identityNumber).All }, cancellationToken: ct))).AsList();
        await accessLog.WriteMany(caller, rows.Select(r => r.PersonId).Distinct().Select(id => new AccessSubject(null, id)),
            AccessActions.Read, purpose, connection, ct);
        return rows.Select(r => new InternalMembership(r.PersonId, r.HouseholdId, r.CaseIds)).ToList();
    }

    private sealed record MemberRow(Guid PersonId, string Role, DateOnly BirthDate, byte[]? Encrypted);

    private sealed record ApplicantRow(Guid PersonId, byte[] Encrypted);

    private sealed class MembershipRow
    {
        public Guid PersonId { get; init; }

        public Guid HouseholdId { get; init; }

        public Guid[] CaseIds { get; init; } = [];
    }
}
