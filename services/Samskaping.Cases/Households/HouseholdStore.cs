using Dapper;
using Npgsql;
using Samskaping.Access;
using Samskaping.Cases.Cases;
using Samskaping.Cases.PersonalData;
using Samskaping.Cases.Timeline;
using Samskaping.Contracts.Cases;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Households;

public sealed record MemberDto(Guid PersonId, string Name, DateOnly BirthDate, string Role, bool HasIdentityNumber, bool AlsoInOtherHousehold, IReadOnlyList<Guid> Guardians);

public sealed record GuardianshipDto(Guid ChildId, Guid GuardianId);

/// <summary>POST /api/cases/{id}/members/{personId}/guardians.</summary>
public sealed record AddGuardian(Guid? GuardianId);

public sealed record KnownPersonDto(IReadOnlyList<KnownPersonCaseDto> Cases);

/// <summary>A case the looked-up person belongs to, and the id its household knows the person by.</summary>
public sealed record KnownPersonCaseDto(Guid CaseId, Guid HouseholdId, string HouseholdName, string Role, Guid PersonId);

/// <summary>People and their households. Identity numbers are encrypted before they reach SQL and found only by their keyed hash.
/// A change to a case's household runs on the request's connection, the one its case-access check used.</summary>
public sealed class HouseholdStore(NpgsqlDataSource dataSource, OutboxWriter outbox, AccessLog accessLog, CaseAccess access, PersonalDataProtector protector, TimeProvider clock)
{
    public async Task<Result<MemberDto>> AddMember(Guid caseId, NewMember member, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await CaseStore.RefuseIfClosed(caseId, tx, ct) is { } refusal)
        {
            return refusal;
        }
        var now = clock.Now();
        var householdId = await connection.QuerySingleAsync<Guid>(new CommandDefinition(
            "SELECT household_id FROM cases.cases WHERE id = @caseId", new { caseId }, tx, cancellationToken: ct));
        if (member.Guardians.Count > 0)
        {
            var known = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT count(*)::int FROM cases.household_members WHERE household_id = @householdId AND person_id = ANY (@guardians)",
                new { householdId, guardians = member.Guardians.ToArray() }, tx, cancellationToken: ct));
            if (known != member.Guardians.Count)
            {
                return Refusal.Unprocessable(Case.DoesNotFit, "guardians", "Every guardian must already be a member of the case's household.");
            }
        }

        // The household's own record of the person, as its worker entered it, even when the number is known elsewhere:
        // linked to other households' records by the keyed hash only, and nothing they recorded is read or told
        // but that the person is in another household too (docs/security.md, Cases).
        var personId = Guid.CreateVersion7(now);
        var number = member.IdentityNumber;
        var hashes = number is null ? null : protector.LookupHashesOf(number);
        if (hashes is not null)
        {
            await LookupSql.Lock(hashes, tx, ct);
            // One number once per household: the unique index holds for hashes under the same key, this for a member
            // recorded under another lookup key.
            var taken = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                $"SELECT EXISTS (SELECT 1 FROM cases.household_members m WHERE m.household_id = @householdId AND {LookupSql.MatchesAny("m")})",
                new { householdId, lookups = hashes.All }, tx, cancellationToken: ct));
            if (taken)
            {
                return Refusal.Conflict("Already a member.", "This person is already a member of the case's household.");
            }
        }
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cases.persons (id, name, name_search, birth_date, identity_number_encrypted, identity_number_lookup, identity_number_lookup_key_id,
                                       identity_number_lookup_other, identity_number_lookup_other_key_id, created_by, created_at)
            VALUES (@personId, @Name, @search, @birthDate::date, @encrypted, @lookup, @keyId, @other, @otherKeyId, @subject, @now)
            """,
            new
            {
                personId, member.Name, search = Search.Normalize(member.Name), birthDate = member.BirthDate.ToDateTime(TimeOnly.MinValue),
                encrypted = number is null ? null : protector.Encrypt(number, personId), lookup = hashes?.Hash, keyId = hashes?.KeyId ?? protector.ActiveLookupKeyId,
                other = hashes?.Other, otherKeyId = hashes?.OtherKeyId, subject = user.Subject, now,
            }, tx, cancellationToken: ct));
        // The keyed hash is on the membership too: one number once per household, enforced by a unique index.
        var added = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cases.household_members (household_id, person_id, role, identity_number_lookup, identity_number_lookup_other, added_by, added_at)
            VALUES (@householdId, @personId, @role, @lookup, @other, @subject, @now)
            ON CONFLICT DO NOTHING
            """, new { householdId, personId, role = member.Role, lookup = hashes?.Hash, other = hashes?.Other, subject = user.Subject, now }, tx, cancellationToken: ct));
        if (added == 0)
        {
            return Refusal.Conflict("Already a member.", "This person is already a member of the case's household.");
        }
        if (member.Guardians.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cases.guardianships (household_id, guardian_id, child_id)
                SELECT @householdId, g, @personId FROM unnest(@guardians) AS g
                """, new { householdId, personId, guardians = member.Guardians.ToArray() }, tx, cancellationToken: ct));
        }
        var alsoElsewhere = hashes is not null && await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT EXISTS (SELECT 1 FROM cases.household_members m WHERE {LookupSql.MatchesAny("m")} AND m.household_id <> @householdId)",
            new { lookups = hashes.All, householdId }, tx, cancellationToken: ct));

        var summary = alsoElsewhere
            ? $"A household member ({member.Role}) was added who is also a member of another household."
            : $"A household member ({member.Role}) was added.";
        await TimelineStore.Write(new TimelineEntry(caseId, Guid.CreateVersion7(now), "member-added", summary, TimelineEntry.Cases, now), tx, ct);
        await outbox.Enqueue(new HouseholdMemberAdded(caseId, householdId, personId, member.Role, member.BirthDate, alsoElsewhere, user.Subject, now), tx, ct);
        await accessLog.Write(user, caseId, personId, AccessActions.Create, "add household member", tx, ct);
        await tx.CommitAsync(ct);
        return new MemberDto(personId, member.Name, member.BirthDate, member.Role, hashes is not null, alsoElsewhere, member.Guardians);
    }

    /// <summary>Records that <paramref name="guardianId"/> is a guardian of <paramref name="childId"/> in the case's household
    /// (for when the child was added before the guardian).</summary>
    public async Task<Result<GuardianshipDto>> AddGuardian(Guid caseId, Guid childId, Guid guardianId, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await CaseStore.RefuseIfClosed(caseId, tx, ct) is { } refusal)
        {
            return refusal;
        }
        var now = clock.Now();
        var householdId = await connection.QuerySingleAsync<Guid>(new CommandDefinition(
            "SELECT household_id FROM cases.cases WHERE id = @caseId", new { caseId }, tx, cancellationToken: ct));
        var members = (await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT person_id FROM cases.household_members WHERE household_id = @householdId AND person_id IN (@childId, @guardianId)",
            new { householdId, childId, guardianId }, tx, cancellationToken: ct))).ToHashSet();
        if (!members.Contains(childId))
        {
            return Refusal.NotFound("Member not found.", $"The case {caseId} has no such member.");
        }
        if (!members.Contains(guardianId) || guardianId == childId)
        {
            return Refusal.Unprocessable(Case.DoesNotFit, "guardianId", "Must be another member of the case's household.");
        }
        var added = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cases.guardianships (household_id, guardian_id, child_id) VALUES (@householdId, @guardianId, @childId)
            ON CONFLICT DO NOTHING
            """, new { householdId, guardianId, childId }, tx, cancellationToken: ct));
        if (added == 0)
        {
            return Refusal.Conflict("Already a guardian.", "This guardian relation is recorded already.");
        }
        await TimelineStore.Write(new TimelineEntry(caseId, Guid.CreateVersion7(now), "guardian-recorded", "A guardian relation in the household was recorded.",
            TimelineEntry.Cases, now), tx, ct);
        await accessLog.Write(user, caseId, childId, AccessActions.Update, "record guardian", tx, ct);
        await tx.CommitAsync(ct);
        return new GuardianshipDto(childId, guardianId);
    }

    /// <summary>
    /// "Is this person already known?" by the keyed hash alone; answers only with the cases the caller may see, each
    /// with the person id that case's household knows the person by. Known only in cases the caller may not see, or
    /// not known at all: the same work either way (one query, one access-log entry), so not even the time tells.
    /// </summary>
    public async Task<IReadOnlyList<KnownPersonCaseDto>> Lookup(IdentityNumber number, CurrentUser user, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var found = (await connection.QueryAsync<FoundRow>(new CommandDefinition(
            $"""
            SELECT sak.id AS CaseId, sak.household_id AS HouseholdId, h.name AS HouseholdName, m.role, m.person_id AS PersonId,
                   {CaseAccess.VisiblePredicate("sak.id")} AS Visible
            FROM cases.household_members m
            JOIN cases.cases sak ON sak.household_id = m.household_id
            JOIN cases.households h ON h.id = sak.household_id
            WHERE {LookupSql.MatchesAny("m")}
            ORDER BY sak.opened_at DESC, sak.id DESC
            """, access.Parameters(user, new { lookups = protector.LookupHashesOf(number).All }), cancellationToken: ct))).AsList();
        // Looking someone up is a read of their data, whether or not the caller may see any of their cases; an
        // unknown number is logged as an attempt about nobody.
        var people = found.Select(f => new AccessSubject(null, f.PersonId)).DefaultIfEmpty(new AccessSubject(null, null));
        await accessLog.WriteMany(user, people, AccessActions.Read, "identity number lookup", ct);
        return [.. found.Where(f => f.Visible).Select(f => new KnownPersonCaseDto(f.CaseId, f.HouseholdId, f.HouseholdName, f.Role, f.PersonId))];
    }

    private sealed record FoundRow(Guid CaseId, Guid HouseholdId, string HouseholdName, string Role, Guid PersonId, bool Visible);
}
