using Dapper;
using Npgsql;

namespace Samskaping.Bench.OutcomesReport;

/// <summary>The outcome report benchmark's data: cases, their households, measurements and responses, seeded in SQL.</summary>
internal static class ResponsesSeed
{
    /// <summary>Two people per case (a parent and a child), four measurements per case, every person answering each one.</summary>
    public static async Task Seed(string connectionString, int responses, int seed, CancellationToken ct)
    {
        var people = responses / 4;
        var cases = people / 2;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            SELECT setseed(@seed);
            CREATE TEMP TABLE bench_cases AS
                SELECT g AS n, gen_random_uuid() AS case_id, gen_random_uuid() AS mother, gen_random_uuid() AS child,
                       (ARRAY['oppvekst', 'helse-velferd', 'kultur', 'nav', 'frivillighet'])[1 + (g % 5)] AS sector,
                       timestamptz '2025-01-01' + (g % 365) * interval '1 day' AS activated_at
                FROM generate_series(1, @cases) g;
            INSERT INTO outcomes.case_facts (case_id, lead_sector, lead_since, activated_at)
                SELECT case_id, sector, activated_at, activated_at FROM bench_cases;
            INSERT INTO outcomes.household_members (case_id, person_id, role, birth_date)
                SELECT case_id, mother, 'parent', date '1985-01-01' + (n % 3000) FROM bench_cases
                UNION ALL SELECT case_id, child, 'child', date '2012-01-01' + (n % 3000) FROM bench_cases;
            INSERT INTO outcomes.disbursements_paid (disbursement_id, case_id, amount, paid_on)
                SELECT gen_random_uuid(), case_id, (n % 7) * 4000, date '2025-06-01' FROM bench_cases WHERE n % 7 > 0;
            CREATE TEMP TABLE bench_measurements AS
                SELECT c.case_id, c.mother, c.child, gen_random_uuid() AS id, k.kind, k.months,
                       c.activated_at + k.months * interval '1 month' + interval '14 days' AS due_at
                FROM bench_cases c
                CROSS JOIN (VALUES ('baseline', 0), ('follow-up', 3), ('follow-up', 6), ('follow-up', 12)) AS k(kind, months);
            INSERT INTO outcomes.measurements (id, case_id, kind, offset_months, due_at, scheduled_at, completed_at)
                SELECT id, case_id, kind, CASE WHEN kind = 'follow-up' THEN months END, due_at, due_at - interval '1 month', due_at
                FROM bench_measurements;
            CREATE TEMP TABLE bench_responses AS
                SELECT gen_random_uuid() AS id, m.id AS measurement_id, m.case_id, p.person_id, m.due_at AS recorded_at,
                       m.months, floor(random() * 11)::int AS life, floor(random() * 11)::int AS shame
                FROM bench_measurements m CROSS JOIN LATERAL (VALUES (m.mother), (m.child)) AS p(person_id);
            INSERT INTO outcomes.responses (id, measurement_id, case_id, person_id, instrument_id, version, respondent_kind, partial, recorded_by, recorded_by_sector, recorded_at)
                SELECT id, measurement_id, case_id, person_id, 'samskaping-core', 1, 'self', true, 'bench', 'oppvekst', recorded_at FROM bench_responses;
            INSERT INTO outcomes.domain_scores (response_id, domain, score)
                SELECT id, 'life-satisfaction', LEAST(10, life + months / 4) FROM bench_responses
                UNION ALL SELECT id, 'shame', shame FROM bench_responses;
            ANALYZE;
            """,
            new { seed = (seed % 1000) / 1000.0, cases }, cancellationToken: ct, commandTimeout: 600));
    }
}
