using Dapper;
using Npgsql;
using Samskaping.Access;
using Samskaping.Cases.Timeline;
using Samskaping.Contracts.Cases;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Corrections;

/// <summary>
/// Corrections of a household's name and of the family's own words (needs, resources, goals), and the history of
/// every correction. A correction changes the record in place and, in the same transaction, keeps what was there
/// before in <c>cases.corrections</c> (append-only), announces it through the outbox and writes the access log.
/// Runs on the request's connection, the one its case-access check used.
/// </summary>
public sealed class CorrectionStore(OutboxWriter outbox, AccessLog accessLog, TimeProvider clock)
{
    public async Task<Result<CorrectionsDto>> CorrectHousehold(Guid caseId, string name, string reason, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        var household = await connection.QuerySingleAsync<(Guid Id, string Name)>(new CommandDefinition(
            """
            SELECT h.id, h.name FROM cases.cases sak JOIN cases.households h ON h.id = sak.household_id
            WHERE sak.id = @caseId FOR UPDATE OF h
            """, new { caseId }, tx, cancellationToken: ct));
        if (household.Name == name)
        {
            return Refusal.Unprocessable(Correction.NotCorrected, "name", "This is the name already recorded.");
        }
        // The household is one record for all its cases, so each case's copy of the name follows.
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE cases.households SET name = @name, name_search = @search WHERE id = @householdId;
            UPDATE cases.cases SET household_name = @name WHERE household_id = @householdId;
            """, new { name, search = Search.Normalize(name), householdId = household.Id }, tx, cancellationToken: ct));
        var correction = await Record(tx, user, new Change(caseId, household.Id, null, household.Id, CorrectedFields.HouseholdName, household.Name, name, reason), ct);
        await outbox.Enqueue(new CaseRecordCorrected(caseId, household.Id, correction.Id, correction.Field, user.Subject, correction.CorrectedAt), tx, ct);
        await Announce(tx, user, caseId, null, "The household's name was corrected.", correction, ct);
        await tx.CommitAsync(ct);
        return new CorrectionsDto([correction]);
    }

    /// <summary>The text of a need, a resource or a goal of the case (<paramref name="field"/>); 404 for one the case does not have.</summary>
    public async Task<Result<CorrectionsDto>> CorrectText(Guid caseId, string field, Guid subjectId, string text, string reason, CurrentUser user,
        NpgsqlConnection connection, CancellationToken ct)
    {
        var (table, what) = field switch
        {
            CorrectedFields.NeedText => ("cases.needs", "need"),
            CorrectedFields.ResourceText => ("cases.resources", "resource"),
            CorrectedFields.GoalText => ("cases.goals", "goal"),
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a text of the case."),
        };
        await using var tx = await connection.BeginTransactionAsync(ct);
        var householdId = await connection.QuerySingleAsync<Guid>(new CommandDefinition(
            "SELECT household_id FROM cases.cases WHERE id = @caseId", new { caseId }, tx, cancellationToken: ct));
        var previous = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            $"SELECT text FROM {table} WHERE id = @subjectId AND case_id = @caseId FOR UPDATE", new { subjectId, caseId }, tx, cancellationToken: ct));
        if (previous is null)
        {
            return Refusal.NotFound(char.ToUpperInvariant(what[0]) + what[1..] + " not found.", $"The case {caseId} has no such {what}.");
        }
        if (previous == text)
        {
            return Refusal.Unprocessable(Correction.NotCorrected, "text", "This is the text already recorded.");
        }
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE {table} SET text = @text WHERE id = @subjectId", new { text, subjectId }, tx, cancellationToken: ct));
        var correction = await Record(tx, user, new Change(caseId, householdId, null, subjectId, field, previous, text, reason), ct);
        if (field == CorrectedFields.GoalText)
        {
            var goal = await connection.QuerySingleAsync<(string ProposedBy, string AgreedBy, DateTime AgreedAt)>(new CommandDefinition(
                "SELECT proposed_by, agreed_by, agreed_at FROM cases.goals WHERE id = @subjectId", new { subjectId }, tx, cancellationToken: ct));
            await outbox.Enqueue(new GoalCorrected(caseId, subjectId, correction.Id, text, goal.ProposedBy, goal.AgreedBy, goal.AgreedAt.AsUtc(),
                user.Subject, correction.CorrectedAt), tx, ct);
        }
        else
        {
            await outbox.Enqueue(new CaseRecordCorrected(caseId, subjectId, correction.Id, field, user.Subject, correction.CorrectedAt), tx, ct);
        }
        await Announce(tx, user, caseId, null, $"The text of a {what} was corrected.", correction, ct);
        await tx.CommitAsync(ct);
        return new CorrectionsDto([correction]);
    }

    /// <summary>What changed, before it is kept.</summary>
    internal sealed record Change(Guid CaseId, Guid HouseholdId, Guid? PersonId, Guid SubjectId, string Field, string? Previous, string? New, string Reason,
        byte[]? PreviousIdentityNumber = null);

    /// <summary>Keeps the previous value, who, when and why; the one way a correction is written.</summary>
    internal async Task<CorrectionDto> Record(NpgsqlTransaction tx, CurrentUser user, Change change, CancellationToken ct)
    {
        var now = clock.Now();
        var id = Guid.CreateVersion7(now);
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cases.corrections (id, case_id, household_id, person_id, subject_id, field, previous_value, new_value,
                                           previous_identity_number, reason, corrected_by, corrected_by_sector, corrected_at)
            VALUES (@id, @CaseId, @HouseholdId, @PersonId, @SubjectId, @Field, @Previous, @New, @PreviousIdentityNumber, @Reason, @subject, @sector, @now)
            """,
            new
            {
                id, change.CaseId, change.HouseholdId, change.PersonId, change.SubjectId, change.Field, change.Previous, change.New,
                change.PreviousIdentityNumber, change.Reason, subject = user.Subject, sector = user.Sector, now,
            }, tx, cancellationToken: ct));
        return new CorrectionDto(id, change.CaseId, change.HouseholdId, change.PersonId, change.SubjectId, change.Field, change.Previous, change.New,
            change.Reason, user.Subject, user.Sector, now);
    }

    /// <summary>The case's timeline and the access log say that a correction was made, never what it changed.</summary>
    internal async Task Announce(NpgsqlTransaction tx, CurrentUser user, Guid caseId, Guid? personId, string summary, CorrectionDto correction, CancellationToken ct)
    {
        await TimelineStore.Write(new TimelineEntry(caseId, correction.Id, "corrected", summary, TimelineEntry.Cases, correction.CorrectedAt), tx, ct);
        await accessLog.Write(user, caseId, personId, AccessActions.Update, "correct " + correction.Field, tx, ct);
    }

    /// <summary>The corrections of a person's records (this one and the person's records in other households, which the
    /// privacy officer may see), or of one household, oldest first.</summary>
    public static async Task<IReadOnlyList<CorrectionDto>> History(NpgsqlConnection connection, Guid[]? personIds, Guid? householdId, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<CorrectionRow>(new CommandDefinition(
            """
            SELECT id, case_id AS CaseId, household_id AS HouseholdId, person_id AS PersonId, subject_id AS SubjectId, field,
                   previous_value AS PreviousValue, new_value AS NewValue, reason, corrected_by AS CorrectedBy,
                   corrected_by_sector AS CorrectedBySector, corrected_at AS CorrectedAt
            FROM cases.corrections
            WHERE (@personIds::uuid[] IS NULL OR person_id = ANY (@personIds)) AND (@householdId::uuid IS NULL OR household_id = @householdId)
            ORDER BY corrected_at, id
            """, new { personIds, householdId }, cancellationToken: ct));
        return [.. rows.Select(r => new CorrectionDto(r.Id, r.CaseId, r.HouseholdId, r.PersonId, r.SubjectId, r.Field, r.PreviousValue, r.NewValue,
            r.Reason, r.CorrectedBy, r.CorrectedBySector, r.CorrectedAt.AsUtc()))];
    }

    private sealed record CorrectionRow(Guid Id, Guid CaseId, Guid HouseholdId, Guid? PersonId, Guid SubjectId, string Field, string? PreviousValue,
        string? NewValue, string Reason, string CorrectedBy, string CorrectedBySector, DateTime CorrectedAt);
}
