using Dapper;
using Npgsql;
using Samskaping.Cases.Consents;
using Samskaping.Cases.Households;
using Samskaping.Cases.PersonalData;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Citizens;

/// <summary>How the signed-in person is related to a case: through themselves, or through a child in their care.</summary>
public static class Relations
{
    /// <summary>One of the person's own household records is a member ("deg").</summary>
    public const string Self = "self";

    /// <summary>A child under 15 in the person's care is a member ("barnet ditt").</summary>
    public const string Child = "child";
}

/// <summary>A household record through which the person reaches a case, and its name as the household recorded it.</summary>
public sealed record ReachedThrough(Guid PersonId, string Name, string Relation);

/// <summary>A case the person may see, and every record through which they reach it.</summary>
public sealed record ReachedCase(Guid CaseId, string HouseholdName, string Status, DateTimeOffset OpenedAt, IReadOnlyList<ReachedThrough> Through)
{
    public bool IsOwn => Through.Any(t => t.Relation == Relations.Self);
}

/// <summary>
/// The relation rule of docs/architecture.md §8: from 15 a person sees the cases of the households they are a member
/// of; an adult also those of every household with a child under 15 who is a member of a household where the adult
/// is a parent or guardian, the child followed by the keyed hash of their number. Decided on the request's date in
/// Norway, from the person's birth date in their number and the child's in its household record.
/// </summary>
public sealed class CitizenRelation(PersonalDataProtector protector, TimeProvider clock)
{
    /// <summary>Of age: sees for the children in their care.</summary>
    public const int AdultAge = 18;

    private static readonly TimeZoneInfo Norway = TimeZoneInfo.FindSystemTimeZoneById("Europe/Oslo");

    public DateOnly Today() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Norway).DateTime);

    /// <summary>
    /// Every case the person may see, newest first; with <paramref name="onlyCase"/>, that one case or none. One query
    /// either way, so a case outside the rule and a missing one take the same work.
    /// </summary>
    public async Task<IReadOnlyList<ReachedCase>> Cases(CitizenToken citizen, NpgsqlConnection connection, CancellationToken ct, Guid? onlyCase = null)
    {
        var today = Today();
        var age = Member.Age(citizen.Number.BirthDate, today);
        if (age < ConsentRules.AgeOfConsent)
        {
            return [];
        }
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            WITH own AS (
                SELECT m.household_id, m.person_id, m.role FROM cases.household_members m WHERE {LookupSql.MatchesAny("m")}
            ),
            children AS (
                SELECT c.person_id, c.identity_number_lookup, c.identity_number_lookup_other
                FROM own o
                JOIN cases.household_members c ON c.household_id = o.household_id AND c.person_id <> o.person_id
                JOIN cases.persons p ON p.id = c.person_id
                WHERE @adult AND o.role IN ('parent', 'guardian') AND p.birth_date > @childBornAfter::date
                  AND NOT EXISTS (SELECT 1 FROM own mine WHERE mine.person_id = c.person_id)
            ),
            child_records AS (
                SELECT person_id FROM children
                UNION
                SELECT r.person_id FROM children c JOIN cases.household_members r ON {LookupSql.SameNumber("r", "c")}
            ),
            reach AS (
                SELECT household_id, person_id, '{Relations.Self}' AS relation FROM own
                UNION
                SELECT m.household_id, m.person_id, '{Relations.Child}' FROM cases.household_members m
                WHERE m.person_id IN (SELECT person_id FROM child_records)
            )
            SELECT sak.id AS CaseId, h.name AS HouseholdName, sak.status, sak.opened_at AS OpenedAt,
                   r.person_id AS PersonId, p.name, r.relation
            FROM reach r
            JOIN cases.cases sak ON sak.household_id = r.household_id
            JOIN cases.households h ON h.id = sak.household_id
            JOIN cases.persons p ON p.id = r.person_id
            WHERE @onlyCase::uuid IS NULL OR sak.id = @onlyCase
            ORDER BY sak.opened_at DESC, sak.id DESC, r.relation DESC, p.name, r.person_id
            """,
            new
            {
                lookups = protector.LookupHashesOf(citizen.Number).All,
                adult = age >= AdultAge,
                childBornAfter = today.AddYears(-ConsentRules.AgeOfConsent).ToDateTime(TimeOnly.MinValue),
                onlyCase,
            }, cancellationToken: ct));
        return [.. rows.GroupBy(r => r.CaseId).Select(g =>
        {
            var first = g.First();
            return new ReachedCase(first.CaseId, first.HouseholdName, first.Status, first.OpenedAt.AsUtc(),
                [.. g.Select(r => new ReachedThrough(r.PersonId, r.Name, r.Relation)).DistinctBy(t => t.PersonId)]);
        })];
    }

    private sealed record Row(Guid CaseId, string HouseholdName, string Status, DateTime OpenedAt, Guid PersonId, string Name, string Relation);
}
