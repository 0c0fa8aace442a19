using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Samskaping.IntegrationTests.Benefits.Lookup;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Benefits.Inbound;

/// <summary>
/// POST /api/benefits/inbound: the benefit system (the simulator, through the gateway) tells us about a person's
/// benefit; each case the person belongs to gets one BenefitStatusChanged, which coordination writes to the relay log.
/// </summary>
[Collection(BenefitsSystemCollection.Name)]
public sealed class InboundTests(BenefitsSystem system)
{
    private const string Inbound = "/api/benefits/inbound";

    [Fact]
    public async Task An_inbound_event_delivered_twice_becomes_one_BenefitStatusChanged_and_one_relay_log_entry()
    {
        using var kari = system.Client("oppvekst", "coordinator", "kari-" + Guid.NewGuid().ToString("N")[..8]);
        var (caseId, householdId) = await BenefitsSystem.OpenCase(kari);
        var mother = SyntheticIdentityNumbers.Adult();
        var motherId = await BenefitsSystem.AddMember(kari, caseId, "Mor", "parent", mother);
        await system.KnownEverywhere(caseId);
        var eventId = "nav-" + Guid.NewGuid();
        var notification = new { personIdent = mother, benefit = "økonomisk sosialhjelp", status = "granted", monthlyAmount = 8450.00m, from = "2026-01-01", occurredAt = DateTimeOffset.UtcNow.AddMinutes(-5), eventId };

        var first = await SendFromSimulator(notification);
        var second = await SendFromSimulator(notification);

        first.GetProperty("status").GetInt32().ShouldBe(202, first.GetRawText());
        second.GetProperty("status").GetInt32().ShouldBe(202);
        second.GetProperty("answer").GetRawText().ShouldBe(first.GetProperty("answer").GetRawText(), "a replay gets the same answer");
        var receipt = first.GetProperty("answer");
        receipt.GetProperty("outcome").GetString().ShouldBe("delivered");
        receipt.GetProperty("casesNotified").GetInt32().ShouldBe(1);

        // Exactly one event: in the outbox, on the bus, and as one relay-log entry.
        var published = await Eventually.Get(() => Task.FromResult(BenefitsSystem.Published(eventId)), p => p.Count >= 1, what: "BenefitStatusChanged on the bus");
        var changed = published.ShouldHaveSingleItem();
        (changed.CaseId, changed.HouseholdId, changed.PersonId).ShouldBe((caseId, householdId, motherId));
        (changed.Benefit, changed.Status, changed.MonthlyAmount, changed.From).ShouldBe(("økonomisk sosialhjelp", "granted", 8450.00m, new DateOnly(2026, 1, 1)));
        var relayLog = await Eventually.Get(async () => await kari.GetFromJsonAsync<JsonElement>($"/api/coordination/cases/{caseId}/relay-log"),
            log => log.EnumerateArray().Any(e => e.GetProperty("text").GetString()!.StartsWith("Benefit system:", StringComparison.Ordinal)),
            what: "the relay-log entry");
        var entry = relayLog.EnumerateArray().Where(e => e.GetProperty("text").GetString()!.StartsWith("Benefit system:", StringComparison.Ordinal)).ShouldHaveSingleItem();
        entry.GetProperty("text").GetString().ShouldBe("Benefit system: økonomisk sosialhjelp granted for a household member from 2026-01-01 (8450.00 NOK per month).");
        entry.GetProperty("type").GetString().ShouldBe("note");
        entry.GetProperty("confidentiality").GetString().ShouldBe("ordinary");
        await Eventually.True(async () => await system.Database("benefits").Scalar<long>("SELECT count(*) FROM messaging.outbox WHERE published_at IS NULL") == 0,
            what: "benefits' outbox to drain");
        (await system.Database("benefits").Scalar<long>(
            "SELECT count(*) FROM messaging.outbox WHERE message_type = 'Samskaping.Contracts.Benefits.BenefitStatusChanged' AND body->>'senderEventId' = @e",
            ("e", eventId))).ShouldBe(1);
        (await system.Database("benefits").Scalar<long>("SELECT count(*) FROM benefits.inbound_events WHERE event_id = @e", ("e", eventId))).ShouldBe(1);
        (await system.Database("coordination").Scalar<long>(
            "SELECT count(*) FROM coordination.relay_log WHERE case_id = @c AND text LIKE 'Benefit system:%'", ("c", caseId))).ShouldBe(1);
        BenefitsSystem.Published(eventId).Count.ShouldBe(1);

        // The identity number is nowhere in what benefits stored or sent.
        (await system.Database("benefits").Scalar<long>(
            "SELECT (SELECT count(*) FROM messaging.outbox WHERE body::text LIKE @n) + (SELECT count(*) FROM benefits.inbound_events WHERE answer::text LIKE @n OR event_id LIKE @n)",
            ("n", "%" + mother + "%"))).ShouldBe(0);
        (await system.Database("benefits").Scalar<long>(
            "SELECT count(*) FROM access.access_log WHERE person_id = @p AND case_id = @c AND role = 'machine' AND purpose = 'inbound benefit notification'",
            ("p", motherId), ("c", caseId))).ShouldBe(1);
    }

    [Fact]
    public async Task The_same_notification_sent_concurrently_is_recorded_once()
    {
        using var kari = system.Client("oppvekst");
        var (caseId, _) = await BenefitsSystem.OpenCase(kari);
        var person = SyntheticIdentityNumbers.Adult();
        await BenefitsSystem.AddMember(kari, caseId, "Mor", "parent", person);
        await system.KnownEverywhere(caseId);
        var eventId = "nav-" + Guid.NewGuid();
        var json = JsonSerializer.Serialize(new { eventId, personIdent = person, benefit = "økonomisk sosialhjelp", status = "changed", monthlyAmount = 9000m, occurredAt = DateTimeOffset.UtcNow });
        using var client = BenefitsSystem.Anonymous(system.Benefits);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", system.InboundToken());

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.PostAsync(Inbound, new StringContent(json, Encoding.UTF8, "application/json"))));

        responses.Select(r => r.StatusCode).Distinct().ShouldBe([HttpStatusCode.Accepted]);
        (await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()))).Distinct().Count().ShouldBe(1, "every sender got the same answer");
        (await system.Database("benefits").Scalar<long>(
            "SELECT count(*) FROM messaging.outbox WHERE body->>'senderEventId' = @e", ("e", eventId))).ShouldBe(1);
    }

    [Fact]
    public async Task A_person_in_two_households_gives_one_event_per_case()
    {
        using var kari = system.Client("oppvekst");
        using var per = system.Client("kultur");
        var father = SyntheticIdentityNumbers.Adult();
        var (first, _) = await BenefitsSystem.OpenCase(kari, "Familien Nord");
        var (second, _) = await BenefitsSystem.OpenCase(per, "Familien Sør");
        await BenefitsSystem.AddMember(kari, first, "Far", "parent", father);
        await BenefitsSystem.AddMember(per, second, "Far", "parent", father);
        await system.KnownEverywhere(first);
        await system.KnownEverywhere(second);
        var eventId = "nav-" + Guid.NewGuid();

        var answer = await SendFromSimulator(new { personIdent = father, benefit = "bostøtte", status = "stopped", to = "2026-10-31", occurredAt = DateTimeOffset.UtcNow, eventId });

        answer.GetProperty("answer").GetProperty("casesNotified").GetInt32().ShouldBe(2);
        var published = await Eventually.Get(() => Task.FromResult(BenefitsSystem.Published(eventId)), p => p.Count >= 2, what: "two events");
        published.Select(p => p.CaseId).ShouldBe([first, second], ignoreOrder: true);

        // Each case's own sectors see the note in its relay log; a sector outside a case sees nothing of it.
        foreach (var (worker, caseId) in new[] { (kari, first), (per, second) })
        {
            var log = await Eventually.Get(async () => await worker.GetFromJsonAsync<JsonElement>($"/api/coordination/cases/{caseId}/relay-log"),
                l => l.EnumerateArray().Any(e => e.GetProperty("text").GetString()!.StartsWith("Benefit system:", StringComparison.Ordinal)), what: "the note");
            log.EnumerateArray().Single(e => e.GetProperty("text").GetString()!.StartsWith("Benefit system:", StringComparison.Ordinal))
                .GetProperty("text").GetString().ShouldBe("Benefit system: bostøtte stopped for a household member until 2026-10-31.");
        }
        (await per.GetAsync($"/api/coordination/cases/{first}/relay-log")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_same_event_id_with_another_body_is_409_and_changes_nothing()
    {
        var person = SyntheticIdentityNumbers.Adult();
        var eventId = "nav-" + Guid.NewGuid();
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        (await SendFromSimulator(new { personIdent = person, benefit = "økonomisk sosialhjelp", status = "granted", occurredAt = at, eventId }))
            .GetProperty("status").GetInt32().ShouldBe(202);

        var conflict = await SendFromSimulator(new { personIdent = person, benefit = "økonomisk sosialhjelp", status = "stopped", occurredAt = at, eventId });

        conflict.GetProperty("status").GetInt32().ShouldBe(409);
        conflict.GetProperty("answer").GetProperty("title").GetString().ShouldBe("This eventId was used for another notification.");
        (await system.Database("benefits").Scalar<long>("SELECT count(*) FROM benefits.inbound_events WHERE event_id = @e", ("e", eventId))).ShouldBe(1);
        (await system.Database("benefits").Scalar<string>("SELECT status FROM benefits.inbound_events WHERE event_id = @e", ("e", eventId))).ShouldBe("granted");
    }

    [Fact]
    public async Task The_simulator_repeats_an_eventId_sent_without_occurredAt_as_the_same_notification()
    {
        // As a person would do it from the .http walk-through: no occurredAt, the same eventId twice.
        var eventId = "nav-" + Guid.NewGuid();
        var notification = new { personIdent = SyntheticIdentityNumbers.Adult(), benefit = "bostøtte", status = "stopped", eventId };

        var first = await SendFromSimulator(notification);
        var second = await SendFromSimulator(notification);

        first.GetProperty("status").GetInt32().ShouldBe(202, first.GetRawText());
        second.GetProperty("status").GetInt32().ShouldBe(202, second.GetRawText());
        second.GetProperty("answer").GetRawText().ShouldBe(first.GetProperty("answer").GetRawText());
        (await system.Database("benefits").Scalar<long>("SELECT count(*) FROM benefits.inbound_events WHERE event_id = @e", ("e", eventId))).ShouldBe(1);
    }

    [Fact]
    public async Task A_person_nobody_knows_is_accepted_and_recorded_as_matching_nobody()
    {
        var eventId = "nav-" + Guid.NewGuid();

        var answer = await SendFromSimulator(new { personIdent = SyntheticIdentityNumbers.Adult(), benefit = "barnetrygd", status = "changed", monthlyAmount = 1766m, occurredAt = DateTimeOffset.UtcNow, eventId });

        answer.GetProperty("status").GetInt32().ShouldBe(202);
        var receipt = answer.GetProperty("answer");
        receipt.GetProperty("outcome").GetString().ShouldBe("no-matching-person");
        receipt.GetProperty("casesNotified").GetInt32().ShouldBe(0);
        receipt.GetProperty("detail").GetString()!.ShouldContain("No person with this identity number is known here");
        (await system.Database("benefits").Scalar<long>(
            "SELECT count(*) FROM benefits.inbound_events WHERE event_id = @e AND cases_notified = 0", ("e", eventId))).ShouldBe(1);
        (await system.Database("benefits").Scalar<long>(
            "SELECT count(*) FROM messaging.outbox WHERE body->>'senderEventId' = @e", ("e", eventId))).ShouldBe(0);
    }

    [Fact]
    public async Task A_staff_token_is_refused_on_the_inbound_endpoint_directly_and_through_the_gateway()
    {
        var body = Body(new { eventId = "nav-" + Guid.NewGuid(), personIdent = SyntheticIdentityNumbers.Adult(), benefit = "x", status = "granted", occurredAt = DateTimeOffset.UtcNow });
        foreach (var address in new[] { system.Benefits, system.Gateway })
        {
            using var client = BenefitsSystem.Anonymous(address);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For("nav", "coordinator"));

            var response = await client.PostAsync(Inbound, body);

            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, address.ToString());
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }
    }

    [Fact]
    public async Task An_inbound_token_does_not_work_on_staff_endpoints()
    {
        using var client = BenefitsSystem.Anonymous(system.Benefits);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", system.InboundToken());

        foreach (var path in new[] { $"/api/benefits/cases/{Guid.NewGuid()}", LookupTests.Path(Guid.NewGuid()) })
        {
            (await client.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, path);
        }
    }

    [Fact]
    public async Task An_inbound_token_without_the_scope_is_403_and_one_for_another_audience_401()
    {
        var body = Body(new { eventId = "nav-" + Guid.NewGuid(), personIdent = SyntheticIdentityNumbers.Adult(), benefit = "x", status = "granted", occurredAt = DateTimeOffset.UtcNow });
        using var client = BenefitsSystem.Anonymous(system.Benefits);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", system.InboundToken(scope: "something-else"));
        (await client.PostAsync(Inbound, body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", system.InboundToken(audience: NavSimulatorSettings.ApiAudience));
        (await client.PostAsync(Inbound, body)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    public static TheoryData<string, string, int> BadBodies => new()
    {
        { """{"personIdent": "{person}", "benefit": "x", "status": "granted", "occurredAt": "2026-11-01T10:00:00Z"}""", "eventId", 422 },
        { """{"eventId": "{id}", "personIdent": "15838510076", "benefit": "x", "status": "granted", "occurredAt": "2026-11-01T10:00:00Z"}""", "personIdent", 422 },
        { """{"eventId": "{id}", "personIdent": "{person}", "status": "granted", "occurredAt": "2026-11-01T10:00:00Z"}""", "benefit", 422 },
        { """{"eventId": "{id}", "personIdent": "{person}", "benefit": "x", "status": "paused", "occurredAt": "2026-11-01T10:00:00Z"}""", "status", 422 },
        { """{"eventId": "{id}", "personIdent": "{person}", "benefit": "x", "status": "granted", "monthlyAmount": -5, "occurredAt": "2026-11-01T10:00:00Z"}""", "monthlyAmount", 422 },
        { """{"eventId": "{id}", "personIdent": "{person}", "benefit": "x", "status": "granted", "monthlyAmount": "mye", "occurredAt": "2026-11-01T10:00:00Z"}""", "monthlyAmount", 400 },
        { """{"eventId": "{id}", "personIdent": "{person}", "benefit": "x", "status": "granted", "from": "2026-02-01", "to": "2026-01-01", "occurredAt": "2026-11-01T10:00:00Z"}""", "to", 422 },
        { """{"eventId": "{id}", "personIdent": "{person}", "benefit": "x", "status": "granted", "from": "1. januar", "occurredAt": "2026-11-01T10:00:00Z"}""", "from", 400 },
        { """{"eventId": "{id}", "personIdent": "{person}", "benefit": "x", "status": "granted"}""", "occurredAt", 422 },
        { """{"eventId": "{id}", "personIdent": "{person}", "benefit": "x", "status": "granted", "occurredAt": "2099-01-01T00:00:00Z"}""", "occurredAt", 422 },
        { """{"eventId": "{id}", "personIdent": "{person}", "benefit": "x", "status": "granted", "occurredAt": "2026-11-01T10:00:00"}""", "occurredAt", 400 },
        { """{"eventId": "{id}", "personIdent": "{person}", "benefit": "x", "status": "granted", "occurredAt": "2026-11-01"}""", "occurredAt", 400 },
        { """{"eventId": "{id}", "personIdent": "{person}", """, "body", 400 },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_notification_is_a_problem_naming_the_field_and_changes_nothing(string template, string field, int status)
    {
        var eventId = "nav-" + Guid.NewGuid();
        var before = await Counts();
        using var client = BenefitsSystem.Anonymous(system.Gateway);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", system.InboundToken());

        var response = await client.PostAsync(Inbound, new StringContent(
            template.Replace("{id}", eventId, StringComparison.Ordinal).Replace("{person}", SyntheticIdentityNumbers.Adult(), StringComparison.Ordinal),
            Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(status, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(text);
        (await Counts()).ShouldBe(before);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_notification_in_another_media_type_is_415_for_the_benefit_system_not_a_refused_token(string mediaType)
    {
        var before = await Counts();
        foreach (var address in new[] { system.Benefits, system.Gateway })
        {
            using var client = BenefitsSystem.Anonymous(address);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", system.InboundToken());

            var response = await client.PostAsync(Inbound, new StringContent(
                JsonSerializer.Serialize(new { eventId = "nav-" + Guid.NewGuid(), personIdent = SyntheticIdentityNumbers.Adult(), benefit = "x", status = "granted", occurredAt = DateTimeOffset.UtcNow }),
                Encoding.UTF8, mediaType));

            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType, $"{address}: {text}");
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }
        (await Counts()).ShouldBe(before);
    }

    [Fact]
    public async Task A_notification_with_a_quoted_charset_is_read_as_utf8()
    {
        using var client = BenefitsSystem.Anonymous(system.Gateway);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", system.InboundToken());
        var content = Body(new { eventId = "nav-" + Guid.NewGuid(), personIdent = SyntheticIdentityNumbers.Adult(), benefit = "økonomisk sosialhjelp", status = "granted", occurredAt = DateTimeOffset.UtcNow });
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=\"utf-8\"");

        var response = await client.PostAsync(Inbound, content);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task When_the_cases_service_cannot_be_reached_the_sender_gets_503_and_nothing_is_recorded()
    {
        var (cutOff, address) = system.SecondBenefits(navDown: false, casesDown: true);
        using (cutOff)
        {
            using var client = BenefitsSystem.Anonymous(address);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", system.InboundToken());
            var eventId = "nav-" + Guid.NewGuid();

            var response = await client.PostAsync(Inbound, Body(new { eventId, personIdent = SyntheticIdentityNumbers.Adult(), benefit = "x", status = "granted", occurredAt = DateTimeOffset.UtcNow }));

            response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            response.Headers.RetryAfter.ShouldNotBeNull();
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString().ShouldBe("cases-unavailable");
            (await system.Database("benefits").Scalar<long>("SELECT count(*) FROM benefits.inbound_events WHERE event_id = @e", ("e", eventId))).ShouldBe(0);
        }
    }

    /// <summary>Asks the simulator to send the notification (through the gateway); answers what benefits said.</summary>
    private async Task<JsonElement> SendFromSimulator(object notification)
    {
        using var simulator = BenefitsSystem.Anonymous(system.Simulator);
        var response = await simulator.PostAsJsonAsync("/simulator/inbound", notification);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var sent = await response.Content.ReadFromJsonAsync<JsonElement>();
        sent.GetProperty("sentTo").GetString()!.ShouldStartWith(system.Gateway.ToString().TrimEnd('/'));
        return sent;
    }

    private async Task<(long Events, long Outbox)> Counts() =>
        ((await system.Database("benefits").Scalar<long>("SELECT count(*) FROM benefits.inbound_events")),
         (await system.Database("benefits").Scalar<long>(
             "SELECT count(*) FROM messaging.outbox WHERE message_type = 'Samskaping.Contracts.Benefits.BenefitStatusChanged'")));

    private static StringContent Body(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
