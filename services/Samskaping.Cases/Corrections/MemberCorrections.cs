using Dapper;
using Npgsql;
using Samskaping.Cases.Households;
using Samskaping.Cases.PersonalData;
using Samskaping.Contracts.Cases;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Corrections;

/// <summary>
/// Corrects a member's record in the case's household: name, birth date, role, guardians, identity number. Only this
/// household's record changes: each household keeps its own record of a person (docs/privacy.md), and another
/// household's record of the same person is neither read nor changed. A corrected identity number is re-validated,
/// re-encrypted and re-hashed with the same protector as a new member's, and its keyed hash moves on the membership too,
/// so look-ups find the person by the new number and no longer by the old one.
/// </summary>
public sealed class MemberCorrections(CorrectionStore corrections, OutboxWriter outbox, PersonalDataProtector protector)
{
    public async Task<Result<CorrectionsDto>> Correct(Guid caseId, Guid personId, MemberCorrection request, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        var householdId = await connection.QuerySingleAsync<Guid>(new CommandDefinition(
            "SELECT household_id FROM cases.cases WHERE id = @caseId", new { caseId }, tx, cancellationToken: ct));
        var member = await connection.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(
            """
            SELECT p.name, p.birth_date AS BirthDate, p.identity_number_encrypted AS Encrypted, m.role,
                   ARRAY(SELECT g.guardian_id FROM cases.guardianships g WHERE g.household_id = m.household_id AND g.child_id = p.id) AS Guardians,
                   (SELECT count(*)::int FROM cases.household_members o WHERE o.person_id = p.id) AS Households
            FROM cases.household_members m JOIN cases.persons p ON p.id = m.person_id
            WHERE m.household_id = @householdId AND m.person_id = @personId
            FOR UPDATE OF m, p
            """, new { householdId, personId }, tx, cancellationToken: ct));
        if (member is null)
        {
            return Refusal.NotFound("Member not found.", $"The case {caseId} has no such member.");
        }
        if (member.Households > 1 && (request.Name is not null || request.BirthDate is not null || request.IdentityNumber is not null))
        {
            return Refusal.Conflict("The record is shared with another household.",
                "This person's name, birth date and identity number are one record shared with another household from before each household kept " +
                "its own; correcting it here would change what the other household recorded. Ask the privacy officer (docs/privacy.md).");
        }
        var current = member.Encrypted is null ? null : IdentityNumber.Parse(protector.Decrypt(member.Encrypted, personId), out _);
        // As when adding a member, a number without a birth date brings its own birth date.
        var birthDate = request.BirthDate ?? request.IdentityNumber?.BirthDate ?? DateOnly.FromDateTime(member.BirthDate);
        var number = request.IdentityNumber ?? current;
        if (number is not null && number.BirthDate != birthDate)
        {
            return Refusal.Unprocessable(Correction.NotCorrected, "birthDate",
                "Does not match the birth date in the member's identity number: correct both in the same request.");
        }
        if (request.Guardians is { } guardians && await GuardiansRefusal(tx, householdId, personId, guardians, ct) is { } refusal)
        {
            return refusal;
        }

        var changes = new List<CorrectionStore.Change>();
        void Changed(string field, string? previous, string? now, byte[]? previousNumber = null) =>
            changes.Add(new(caseId, householdId, personId, personId, field, previous, now, request.Reason, previousNumber));
        if (request.Name is { } name && name != member.Name)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE cases.persons SET name = @name, name_search = @search WHERE id = @personId",
                new { name, search = Search.Normalize(name), personId }, tx, cancellationToken: ct));
            Changed(CorrectedFields.MemberName, member.Name, name);
        }
        if (birthDate != DateOnly.FromDateTime(member.BirthDate))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE cases.persons SET birth_date = @birthDate::date WHERE id = @personId",
                new { birthDate = birthDate.ToDateTime(TimeOnly.MinValue), personId }, tx, cancellationToken: ct));
            Changed(CorrectedFields.MemberBirthDate, Iso(DateOnly.FromDateTime(member.BirthDate)), Iso(birthDate));
        }
        if (request.IdentityNumber is { } corrected && corrected.Digits != current?.Digits)
        {
            if (await MoveNumber(tx, householdId, personId, corrected, ct) is { } taken)
            {
                return taken;
            }
            Changed(CorrectedFields.MemberIdentityNumber, null, null, member.Encrypted);
        }
        if (request.Role is { } role && role != member.Role)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE cases.household_members SET role = @role WHERE household_id = @householdId AND person_id = @personId",
                new { role, householdId, personId }, tx, cancellationToken: ct));
            Changed(CorrectedFields.MemberRole, member.Role, role);
        }
        if (request.Guardians is { } wanted && !wanted.ToHashSet().SetEquals(member.Guardians))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                DELETE FROM cases.guardianships WHERE household_id = @householdId AND child_id = @personId;
                INSERT INTO cases.guardianships (household_id, guardian_id, child_id) SELECT @householdId, g, @personId FROM unnest(@guardians) AS g;
                """, new { householdId, personId, guardians = wanted.ToArray() }, tx, cancellationToken: ct));
            Changed(CorrectedFields.MemberGuardians, Ids(member.Guardians), Ids(wanted));
        }
        if (changes.Count == 0)
        {
            return Refusal.Unprocessable(Correction.NotCorrected, "name", "Every value given is the one already recorded: nothing to correct.");
        }

        var roleNow = request.Role ?? member.Role;
        var kept = new List<CorrectionDto>();
        foreach (var change in changes)
        {
            var correction = await corrections.Record(tx, user, change, ct);
            await outbox.Enqueue(new HouseholdMemberCorrected(caseId, householdId, personId, correction.Id, correction.Field, roleNow, birthDate,
                number is not null, user.Subject, correction.CorrectedAt), tx, ct);
            await corrections.Announce(tx, user, caseId, personId, $"A household member's record was corrected ({Describe(correction.Field)}).", correction, ct);
            kept.Add(correction);
        }
        await tx.CommitAsync(ct);
        return new CorrectionsDto(kept);
    }

    /// <summary>The number sealed for this record and its keyed hash, on the person and on this household's membership;
    /// a number another member of this household already has is refused, as when adding a member.</summary>
    private async Task<Refusal?> MoveNumber(NpgsqlTransaction tx, Guid householdId, Guid personId, IdentityNumber number, CancellationToken ct)
    {
        var hashes = protector.LookupHashesOf(number);
        // One addition of a number at a time, as when adding a member: of two at once the second sees the first.
        await LookupSql.Lock(hashes, tx, ct);
        var taken = await tx.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT EXISTS (SELECT 1 FROM cases.household_members m WHERE m.household_id = @householdId AND {LookupSql.MatchesAny("m")} AND m.person_id <> @personId)",
            new { householdId, lookups = hashes.All, personId }, tx, cancellationToken: ct));
        if (taken)
        {
            return Refusal.Unprocessable(Correction.NotCorrected, "identityNumber", "Another member of this household has this identity number.");
        }
        // The membership's hash follows by the foreign key's ON UPDATE CASCADE; the second statement covers a member who
        // had no number, and the second hash of a rotation, which no foreign key carries.
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE cases.persons SET identity_number_encrypted = @encrypted, identity_number_lookup = @lookup, identity_number_lookup_key_id = @keyId,
                identity_number_lookup_other = @other, identity_number_lookup_other_key_id = @otherKeyId
            WHERE id = @personId;
            UPDATE cases.household_members SET identity_number_lookup = @lookup, identity_number_lookup_other = @other
            WHERE household_id = @householdId AND person_id = @personId;
            """, new
            {
                encrypted = protector.Encrypt(number, personId), lookup = hashes.Hash, keyId = hashes.KeyId, other = hashes.Other,
                otherKeyId = hashes.OtherKeyId, personId, householdId,
            }, tx, cancellationToken: ct));
        return null;
    }

    private static async Task<Refusal?> GuardiansRefusal(NpgsqlTransaction tx, Guid householdId, Guid personId, IReadOnlyList<Guid> guardians, CancellationToken ct)
    {
        if (guardians.Contains(personId))
        {
            return Refusal.Unprocessable(Correction.NotCorrected, "guardians", "A member is not their own guardian.");
        }
        var known = await tx.Connection!.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*)::int FROM cases.household_members WHERE household_id = @householdId AND person_id = ANY (@guardians)",
            new { householdId, guardians = guardians.ToArray() }, tx, cancellationToken: ct));
        return known == guardians.Count ? null
            : Refusal.Unprocessable(Correction.NotCorrected, "guardians", "Every guardian must be a member of the case's household.");
    }

    private static string Ids(IEnumerable<Guid> ids) => string.Join(",", ids.Select(id => id.ToString()).Order(StringComparer.Ordinal));

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Describe(string field) => field switch
    {
        CorrectedFields.MemberName => "name",
        CorrectedFields.MemberBirthDate => "birth date",
        CorrectedFields.MemberRole => "role",
        CorrectedFields.MemberGuardians => "guardians",
        _ => "identity number",
    };

    // A class, not a positional record: Dapper matches constructors by the reader's field types, and uuid[] reads as Array.
    private sealed class MemberRow
    {
        public string Name { get; init; } = "";
        public DateTime BirthDate { get; init; }
        public byte[]? Encrypted { get; init; }
        public string Role { get; init; } = "";
        public Guid[] Guardians { get; init; } = [];
        public int Households { get; init; }
    }
}
