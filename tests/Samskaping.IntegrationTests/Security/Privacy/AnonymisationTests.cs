using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Samskaping.Contracts.Cases;
using Samskaping.IntegrationTests.Cases;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.IntegrationTests.Operations;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Security.Privacy;

/// <summary>
/// Anonymisation in coordination, grants, outcomes and benefits: a CaseAnonymisationOrdered removes every
/// personal value of the case from every text, JSON and binary column of the four databases, leaves the ledger's and
/// the outcome reports' figures as they were, is done once however often it arrives, and is counted once per service.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class AnonymisationTests(SystemFixture system)
{
    private static readonly string[] Services = ["coordination", "grants", "outcomes", "benefits"];

    [Fact]
    public async Task An_anonymised_case_leaves_no_personal_value_in_the_four_services_and_the_same_figures()
    {
        var family = await ExportFamily.Seed(system);
        var u = ExportFamily.Unique();
        using var kari = system.Client("oppvekst", "caseworker", family.Worker);

        // Values no other case has, in each service: the scan below finds them anywhere they are left.
        var relayText = $"Samtale med Mona om skolen, merket {u}.";
        (await kari.PostAsJsonAsync($"/api/coordination/cases/{family.CaseId}/relay-log",
            new { type = "note", confidentiality = "ordinary", text = relayText })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var purpose = $"Vinterklær til Jonas {u}";
        var payee = $"Mona Mottaker {u}";
        var account = AccountNumber();
        var fund = await Fund(u);
        var grant = await Created(kari, $"/api/grants/cases/{family.CaseId}/grants", new
        {
            fundId = fund,
            amount = 300m,
            purpose,
            category = "leisure",
            payee = new { kind = "family", name = payee, accountNumber = account },
        });
        (await Idempotent(kari, $"/api/grants/grants/{grant}/approve", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var comment = $"Vi skammer oss når naboen ser det, sier Per {u}.";
        var memberName = "Per Anonym " + u;
        var member = (await CaseClient.AddMember(kari, family.CaseId, memberName, "parent", identityNumber: IdentityNumbers.Adult()))
            .GetProperty("personId").GetGuid();
        var measurement = await Baseline(kari, family.CaseId);
        var answered = await Eventually.Get(
            () => kari.PostAsJsonAsync($"/api/outcomes/cases/{family.CaseId}/measurements/{measurement}/responses", new
            {
                personId = member,
                respondent = "self",
                answers = new object[]
                {
                    new { itemId = "life-satisfaction", value = 4 },
                    new { itemId = "neg-shame", value = 8 },
                    new { itemId = "neg-shame-comment", text = comment },
                },
            }),
            r => r.StatusCode != HttpStatusCode.UnprocessableEntity,
            what: "outcomes to accept the new member's response");
        answered.StatusCode.ShouldBe(HttpStatusCode.Created, await answered.Content.ReadAsStringAsync());
        await Eventually.True(async () => await system.Database("benefits").Scalar<long>(
            "SELECT count(*) FROM benefits.feed_facts WHERE case_id = @c AND kind = 'grant-approved' AND subject_id = @g",
            ("c", family.CaseId), ("g", grant)) == 1, within: TimeSpan.FromSeconds(60), what: "benefits to hear of the grant");
        await Eventually.True(async () => await system.Database("benefits").Scalar<long>(
            "SELECT count(*) FROM benefits.feed_deliveries WHERE case_id = @c AND document::text LIKE '%' || @p || '%'",
            ("c", family.CaseId), ("p", purpose)) > 0, within: TimeSpan.FromSeconds(60), what: "the document with the grant's purpose to be sent to Digisos");
        await Eventually.True(async () => await Unpublished() == 0, within: TimeSpan.FromSeconds(60), what: "every outbox to be published");

        string[] personal =
        [
            family.MotherName, family.ChildName, family.YouthName, family.MotherNumber, memberName,
            relayText, purpose, payee, account, comment,
        ];
        // Seeded: the scan finds them before, so finding none after means they were removed.
        (await Scan(personal)).ShouldNotBeEmpty();

        var ledger = await Ledger();
        var scores = await Scores();
        using var analyst = system.Client("oppvekst", "analyst");
        var report = await (await analyst.GetAsync("/api/outcomes/reports/change")).Content.ReadAsStringAsync();

        var measurements = Services.ToDictionary(s => s, s => new ServiceMeasurements(system.Services(s)));
        try
        {
            var order = new CaseAnonymisationOrdered(family.CaseId, Guid.NewGuid(), AnonymisationGrounds.OpenedByMistake,
                "Opprettet ved en feil (test).", "privacy-officer-test", DateTimeOffset.UtcNow);
            var bus = system.Services("cases").GetRequiredService<IBus>();
            await bus.Publish(order);
            foreach (var service in Services)
            {
                await Eventually.True(async () => await Answered(service, order.AnonymisationId) == 1,
                    within: TimeSpan.FromSeconds(60), what: $"{service} to announce CaseAnonymisedInService");
            }

            (await Scan(personal)).ShouldBeEmpty();
            (await Ledger()).ShouldBe(ledger);
            (await Scores()).ShouldBe(scores);
            (await (await analyst.GetAsync("/api/outcomes/reports/change")).Content.ReadAsStringAsync()).ShouldBe(report);

            // What this anonymisation published holds its counts and ids, no personal value.
            foreach (var service in Services)
            {
                var body = await system.Database(service).Scalar<string>(
                    "SELECT body::text FROM messaging.outbox WHERE message_type LIKE '%CaseAnonymisedInService%' AND body->>'anonymisationId' = @a",
                    ("a", order.AnonymisationId.ToString()));
                body.ShouldNotBeNull();
                personal.ShouldAllBe(p => !body!.Contains(p));
                (await Audit(service, order.AnonymisationId)).ShouldBeGreaterThan(0, $"{service}'s rows anonymised");
            }

            // The same order again, as a new message (the inbox does not know it): the audit row makes it a no-op.
            var received = new Dictionary<string, long>();
            foreach (var service in Services)
            {
                received[service] = await Received(service);
            }
            await bus.Publish(order);
            foreach (var service in Services)
            {
                await Eventually.True(async () => await Received(service) == received[service] + 1,
                    what: $"{service} to receive the order a second time");
            }
            foreach (var service in Services)
            {
                await using var connection = new NpgsqlConnection(system.Database(service).ConnectionString);
                await connection.OpenAsync();
                await using var again = new NpgsqlCommand(
                    $"SELECT {service}.anonymise_case(@c, @a, @g, @r, @o)", connection);
                again.Parameters.AddWithValue("c", order.CaseId);
                again.Parameters.AddWithValue("a", order.AnonymisationId);
                again.Parameters.AddWithValue("g", order.Ground);
                again.Parameters.AddWithValue("r", order.Reason);
                again.Parameters.AddWithValue("o", order.OrderedBy);
                ((int)(await again.ExecuteScalarAsync())!).ShouldBe(0, service);
            }
            foreach (var service in Services)
            {
                (await system.Database(service).Scalar<long>(
                    "SELECT count(*) FROM " + service + ".anonymisations WHERE anonymisation_id = @a", ("a", order.AnonymisationId))).ShouldBe(1);
                (await Answered(service, order.AnonymisationId)).ShouldBe(1, $"{service} announced once");
                measurements[service].Sum("samskaping.privacy.anonymisations", ("ground", AnonymisationGrounds.OpenedByMistake))
                    .ShouldBe(1, $"{service} counted once");
            }

            // Every other path still meets the append-only triggers, with rows there to refuse.
            foreach (var (service, sql) in new[]
            {
                ("coordination", $"UPDATE coordination.relay_log SET text = 'x' WHERE case_id = '{family.CaseId}'"),
                ("grants", $"UPDATE grants.decision_letters SET text = 'x' WHERE case_id = '{family.CaseId}'"),
                ("grants", "UPDATE grants.ledger_entries SET amount = amount"),
            })
            {
                await using var connection = new NpgsqlConnection(system.Database(service).ConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(sql, connection);
                var refused = await Should.ThrowAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
                refused.MessageText.ShouldMatch("append-only|never changed", sql);
            }
        }
        finally
        {
            foreach (var m in measurements.Values)
            {
                m.Dispose();
            }
        }
    }

    /// <summary>Where each value is still found: "service schema.table.column" per hit.</summary>
    private async Task<List<string>> Scan(IReadOnlyList<string> values)
    {
        var found = new List<string>();
        foreach (var service in Services)
        {
            await using var connection = new NpgsqlConnection(system.Database(service).ConnectionString);
            await connection.OpenAsync();
            var columns = new List<(string Schema, string Table, string Column, string Type)>();
            await using (var list = new NpgsqlCommand(
                """
                SELECT c.table_schema, c.table_name, c.column_name, c.data_type
                FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
                WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema')
                  AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY')
                """, connection))
            await using (var reader = await list.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
                }
            }
            columns.Count.ShouldBeGreaterThan(10, service);
            foreach (var (schema, table, column, type) in columns)
            {
                var where = type == "bytea"
                    ? $"position(convert_to(@v, 'UTF8') in \"{column}\") > 0"
                    : $"position(@v in \"{column}\"::text) > 0";
                foreach (var value in values)
                {
                    await using var hit = new NpgsqlCommand($"SELECT count(*) FROM \"{schema}\".\"{table}\" WHERE {where}", connection);
                    hit.Parameters.AddWithValue("v", value);
                    if ((long)(await hit.ExecuteScalarAsync())! > 0)
                    {
                        found.Add($"{service} {schema}.{table}.{column}: {value}");
                    }
                }
            }
        }
        return found;
    }

    private Task<long> Received(string service) => system.Database(service).Scalar<long>(
        "SELECT count(*) FROM messaging.inbox WHERE consumer = 'CaseAnonymisationConsumer'");

    private async Task<long> Unpublished()
    {
        long total = 0;
        foreach (var service in Services)
        {
            total += await system.Database(service).Scalar<long>("SELECT count(*) FROM messaging.outbox WHERE published_at IS NULL AND parked_at IS NULL");
        }
        return total;
    }

    private Task<long> Answered(string service, Guid anonymisationId) => system.Database(service).Scalar<long>(
        "SELECT count(*) FROM messaging.outbox WHERE message_type LIKE '%CaseAnonymisedInService%' AND body->>'anonymisationId' = @a",
        ("a", anonymisationId.ToString()));

    private async Task<int> Audit(string service, Guid anonymisationId) => await system.Database(service).Scalar<int>(
        $"SELECT rows_anonymised FROM {service}.anonymisations WHERE anonymisation_id = @a", ("a", anonymisationId));

    /// <summary>Every account's balance: what the bookkeeping must still show.</summary>
    private async Task<string> Ledger() => (await system.Database("grants").Scalar<string>(
        "SELECT coalesce(string_agg(account_id::text || '=' || total::text, ',' ORDER BY account_id), '') FROM (SELECT account_id, sum(amount) AS total FROM grants.ledger_entries GROUP BY account_id) b"))!;

    /// <summary>The scores, respondents and members the outcome aggregates are made of.</summary>
    private async Task<string> Scores() => (await system.Database("outcomes").Scalar<string>(
        """
        SELECT (SELECT count(*) FROM outcomes.responses)::text || ';' ||
               (SELECT count(DISTINCT (case_id, person_id)) FROM outcomes.responses)::text || ';' ||
               (SELECT coalesce(sum(score), 0) FROM outcomes.domain_scores)::text || ';' ||
               (SELECT count(*) FROM outcomes.household_members)::text || ';' ||
               (SELECT count(*) FROM outcomes.responses r JOIN outcomes.household_members m ON m.case_id = r.case_id AND m.person_id = r.person_id)::text
        """))!;

    private static async Task<Guid> Baseline(HttpClient client, Guid caseId)
    {
        var schedule = await SliceTests.EventuallyOk(client, $"/api/outcomes/cases/{caseId}/schedule",
            s => s.GetProperty("measurements").EnumerateArray().Any(m => m.GetProperty("kind").GetString() == "baseline"));
        return schedule.GetProperty("measurements").EnumerateArray()
            .First(m => m.GetProperty("kind").GetString() == "baseline").GetProperty("id").GetGuid();
    }

    private async Task<Guid> Fund(string u)
    {
        using var approver = system.Client("oppvekst", "grant-approver", "fund-admin");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return await Created(approver, "/api/grants/funds", new
        {
            name = "Anonymiseringsfond " + u,
            owner = "oppvekst",
            periodStart = today.AddDays(-30),
            periodEnd = today.AddDays(330),
            budget = 10_000m,
            approvalThreshold = 5_000m,
            householdCap = 100_000m,
            lowBalanceThreshold = 0m,
            reportToBenefitSystem = true,
        });
    }

    private static async Task<Guid> Created(HttpClient client, string path, object body)
    {
        var response = await Idempotent(client, path, body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, $"{path}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<HttpResponseMessage> Idempotent(HttpClient client, string path, object? body)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        message.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await client.SendAsync(message);
    }

    /// <summary>An 11-digit Norwegian account number with a valid mod-11 check digit.</summary>
    private static string AccountNumber()
    {
        int[] weights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
        while (true)
        {
            var digits = Enumerable.Range(0, 10).Select(i => i == 0 ? 1 + Random.Shared.Next(9) : Random.Shared.Next(10)).ToArray();
            var check = 11 - digits.Select((d, i) => d * weights[i]).Sum() % 11;
            if (check == 10)
            {
                continue;
            }
            return string.Concat(digits) + (check == 11 ? 0 : check);
        }
    }
}
