using Dapper;
using Npgsql;
using Samskaping.Access;
using Samskaping.Cases.Consents;
using Samskaping.Cases.Corrections;
using Samskaping.Cases.Households;
using Samskaping.Cases.PersonalData;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.PersonExport;

/// <summary>
/// Who a person's export is about and what cases holds about them. The person's records are their own record in
/// every household (the same keyed hash); a guardian's export also has the children under 15 in their care
/// (recorded guardianships in those households, <see cref="ConsentRules.AgeOfConsent"/>: from 15 a youth has their
/// own right of access, as they consent for themselves). The cases are those of the households.
/// </summary>
public static class CasesPersonExport
{
    public const string Self = "self";
    public const string ChildInCare = "child-in-care";

    /// <summary>Null for an unknown person.</summary>
    public static async Task<ExportScope?> ScopeOf(NpgsqlConnection connection, Guid personId, DateOnly today, CancellationToken ct)
    {
        var known = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM cases.persons WHERE id = @personId)", new { personId }, cancellationToken: ct));
        if (!known)
        {
            return null;
        }
        var own = (await connection.QueryAsync<Guid>(new CommandDefinition(
            $"""
            SELECT @personId::uuid UNION
            SELECT o.person_id FROM cases.household_members m
            JOIN cases.household_members o ON {LookupSql.SameNumber("o", "m")}
            WHERE m.person_id = @personId
            """, new { personId }, cancellationToken: ct))).ToArray();
        var children = (await connection.QueryAsync<(Guid Id, DateTime BirthDate)>(new CommandDefinition(
            """
            SELECT DISTINCT p.id, p.birth_date FROM cases.guardianships g JOIN cases.persons p ON p.id = g.child_id
            WHERE g.guardian_id = ANY(@own)
            """, new { own }, cancellationToken: ct)))
            .Where(c => Member.Age(DateOnly.FromDateTime(c.BirthDate), today) < ConsentRules.AgeOfConsent)
            .Select(c => c.Id).Except(own).ToArray();
        var caseIds = (await connection.QueryAsync<Guid>(new CommandDefinition(
            """
            SELECT DISTINCT sak.id FROM cases.household_members m JOIN cases.cases sak ON sak.household_id = m.household_id
            WHERE m.person_id = ANY(@own)
            """, new { own }, cancellationToken: ct))).ToArray();
        return new ExportScope(personId, own, children, caseIds);
    }

    public static async Task<PersonExportContent> Read(NpgsqlConnection connection, ExportScope scope, CancellationToken ct)
    {
        var p = new { people = scope.People, caseIds = scope.CaseIds };
        var members = (await connection.QueryAsync<MemberRow>(new CommandDefinition(
            """
            SELECT m.person_id AS PersonId, m.household_id AS HouseholdId, p.name, p.birth_date AS BirthDate, m.role,
                   p.identity_number_lookup IS NOT NULL AS HasIdentityNumber, m.added_by AS AddedBy, m.added_at AS AddedAt
            FROM cases.household_members m JOIN cases.persons p ON p.id = m.person_id
            WHERE m.household_id IN (SELECT household_id FROM cases.cases WHERE id = ANY(@caseIds)) OR m.person_id = ANY(@people)
            ORDER BY m.added_at, m.person_id
            """, p, cancellationToken: ct))).ToList();
        var guardians = (await connection.QueryAsync<(Guid HouseholdId, Guid GuardianId, Guid ChildId)>(new CommandDefinition(
            "SELECT household_id, guardian_id, child_id FROM cases.guardianships WHERE child_id = ANY(@people) ORDER BY guardian_id",
            p, cancellationToken: ct))).ToLookup(g => (g.HouseholdId, g.ChildId), g => g.GuardianId);
        var inExport = members.Where(m => scope.People.Contains(m.PersonId)).ToList();
        var others = members.Where(m => !scope.People.Contains(m.PersonId)).ToList();
        var persons = inExport.Select(m => new Person(m.PersonId, scope.Own.Contains(m.PersonId) ? Self : ChildInCare, m.HouseholdId, m.Name,
            m.BirthDate, m.Role, m.HasIdentityNumber, [.. guardians[(m.HouseholdId, m.PersonId)]], m.AddedBy, m.AddedAt)).ToList();
        var heldBack = others
            .Select(m => new HeldBackEntry("household-member", m.PersonId, null, m.AddedAt.AsUtc(), ThirdParty.Member))
            .ToList();

        var households = await connection.QueryAsync<Household>(new CommandDefinition(
            "SELECT id, name, created_by AS CreatedBy, created_at AS CreatedAt FROM cases.households WHERE id = ANY(@ids) ORDER BY created_at",
            new { ids = inExport.Select(m => m.HouseholdId).Distinct().ToArray() }, cancellationToken: ct));
        var cases = await connection.QueryAsync<CaseRow>(new CommandDefinition(
            """
            SELECT id, household_id AS HouseholdId, status, opened_by AS OpenedBy, opened_by_sector AS OpenedBySector, opened_at AS OpenedAt,
                   referral_source AS ReferralSource, referral_reason AS ReferralReason
            FROM cases.cases WHERE id = ANY(@caseIds) ORDER BY opened_at, id
            """, p, cancellationToken: ct));
        var statusChanges = await connection.QueryAsync<StatusChange>(new CommandDefinition(
            """
            SELECT case_id AS CaseId, from_status AS FromStatus, to_status AS ToStatus, reason, changed_by AS ChangedBy, changed_at AS ChangedAt
            FROM cases.status_changes WHERE case_id = ANY(@caseIds) ORDER BY changed_at, id
            """, p, cancellationToken: ct));
        var (needs, needsHeld) = OwnWords(await ReadWords(connection, "needs", scope.CaseIds, ct), "need", others);
        var (resources, resourcesHeld) = OwnWords(await ReadWords(connection, "resources", scope.CaseIds, ct), "resource", others);
        var goals = await connection.QueryAsync<Goal>(new CommandDefinition(
            """
            SELECT id, case_id AS CaseId, text, proposed_by AS ProposedBy, status, agreed_by AS AgreedBy, agreed_at AS AgreedAt,
                   status_changed_at AS StatusChangedAt
            FROM cases.goals WHERE case_id = ANY(@caseIds) ORDER BY agreed_at, id
            """, p, cancellationToken: ct));
        var consents = await connection.QueryAsync<Consent>(new CommandDefinition(
            """
            SELECT id, case_id AS CaseId, person_id AS PersonId, given_by_person_id AS GivenByPersonId, sectors, purposes,
                   data_categories AS DataCategories, valid_from AS ValidFrom, valid_to AS ValidTo, recorded_by AS RecordedBy,
                   recorded_at AS RecordedAt, withdrawn_at AS WithdrawnAt, withdrawn_by AS WithdrawnBy, withdrawal_reason AS WithdrawalReason
            FROM cases.consents WHERE person_id = ANY(@people) ORDER BY recorded_at, id
            """, p, cancellationToken: ct));

        // Corrections of what is given here, with the value before (the right to rectification is part of the record):
        // those of the people in the export and of their households' names and words, not of what is held back.
        var given = new HashSet<Guid>([.. persons.Select(x => x.PersonId), .. households.Select(h => h.Id), .. needs.Select(n => n.Id),
            .. resources.Select(r => r.Id), .. goals.Select(g => g.Id)]);
        var corrections = new List<CorrectionDto>();
        foreach (var household in households)
        {
            corrections.AddRange((await CorrectionStore.History(connection, null, household.Id, ct))
                .Where(c => (c.PersonId is null || scope.People.Contains(c.PersonId.Value)) && given.Contains(c.SubjectId)));
        }

        return new PersonExportContent(
            new CasesData(persons, [.. households], [.. cases], [.. statusChanges], needs, resources, [.. goals], [.. consents],
                [.. corrections.OrderBy(c => c.CorrectedAt).ThenBy(c => c.Id)]),
            [.. heldBack, .. needsHeld, .. resourcesHeld]);
    }

    /// <summary>
    /// The family's own words, except what another member of the household said (named by their name in said-by):
    /// that is theirs, and they have their own right of access to it.
    /// </summary>
    private static (IReadOnlyList<Words> Given, IEnumerable<HeldBackEntry> HeldBack) OwnWords(IReadOnlyList<Words> all, string kind, IReadOnlyList<MemberRow> others)
    {
        var otherNames = others.Select(o => o.Name.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        bool SaidByOther(Words w) => w.SaidBy is { } by && otherNames.Contains(by.Trim());
        return ([.. all.Where(w => !SaidByOther(w))],
            all.Where(SaidByOther).Select(w => new HeldBackEntry(kind, w.Id, w.CaseId, w.RecordedAt.AsUtc(), ThirdParty.Words)));
    }

    private static async Task<IReadOnlyList<Words>> ReadWords(NpgsqlConnection connection, string table, Guid[] caseIds, CancellationToken ct) =>
        [.. await connection.QueryAsync<Words>(new CommandDefinition(
            $"SELECT id, case_id AS CaseId, text, said_by AS SaidBy, recorded_by AS RecordedBy, recorded_at AS RecordedAt FROM cases.{table} " +
            "WHERE case_id = ANY(@caseIds) ORDER BY recorded_at, id",
            new { caseIds }, cancellationToken: ct))];

    private static class ThirdParty
    {
        public const string Member = "Et annet medlem av husstanden. Opplysningene om andre personer er deres egne og gis ikke ut her; " +
            "de kan selv be om innsyn (ungdom fra 15 år også).";

        public const string Words = "Sagt av et annet medlem av husstanden. Det de har sagt om seg selv er deres eget; de kan selv be om innsyn i det.";
    }

    public sealed record CasesData(
        IReadOnlyList<Person> Persons, IReadOnlyList<Household> Households, IReadOnlyList<CaseRow> Cases, IReadOnlyList<StatusChange> StatusChanges,
        IReadOnlyList<Words> Needs, IReadOnlyList<Words> Resources, IReadOnlyList<Goal> Goals, IReadOnlyList<Consent> Consents,
        IReadOnlyList<CorrectionDto> Corrections);

    /// <summary>A record of a person in one household. The identity number is never handed out, only whether it is recorded.</summary>
    public sealed record Person(Guid PersonId, string IncludedAs, Guid HouseholdId, string Name, DateOnly BirthDate, string Role,
        bool HasIdentityNumber, IReadOnlyList<Guid> Guardians, string AddedBy, DateTime AddedAt);

    public sealed record Household(Guid Id, string Name, string CreatedBy, DateTime CreatedAt);

    public sealed record CaseRow(Guid Id, Guid HouseholdId, string Status, string OpenedBy, string OpenedBySector, DateTime OpenedAt,
        string? ReferralSource, string? ReferralReason);

    public sealed record StatusChange(Guid CaseId, string FromStatus, string ToStatus, string Reason, string ChangedBy, DateTime ChangedAt);

    public sealed record Words(Guid Id, Guid CaseId, string Text, string? SaidBy, string RecordedBy, DateTime RecordedAt);

    public sealed record Goal(Guid Id, Guid CaseId, string Text, string ProposedBy, string Status, string AgreedBy, DateTime AgreedAt, DateTime? StatusChangedAt);

    /// <summary>A consent with its history: given (recorded), valid from and to, and withdrawn with the reason.</summary>
    public sealed class Consent
    {
        public Guid Id { get; init; }
        public Guid CaseId { get; init; }
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

    private sealed record MemberRow(Guid PersonId, Guid HouseholdId, string Name, DateOnly BirthDate, string Role, bool HasIdentityNumber,
        string AddedBy, DateTime AddedAt);
}

/// <summary>Who is in a person's export: <see cref="Own"/> records, <see cref="Children"/> under 15 in their care, and the cases.</summary>
public sealed record ExportScope(Guid PersonId, Guid[] Own, Guid[] Children, Guid[] CaseIds)
{
    public Guid[] People => [.. Own, .. Children];

    public PersonExportQuery Query => new(PersonId, People, CaseIds);
}
