using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Samskaping.Contracts.Cases;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Cases;

/// <summary>Every change publishes its event once, through the outbox, over the real RabbitMQ, with no identity number in it.</summary>
[Collection(SystemCollection.Name)]
public sealed class CaseEventsTests(SystemFixture system)
{
    [Fact]
    public async Task Each_change_reaches_a_consumer_exactly_once_and_carries_no_identity_number()
    {
        var received = new ConcurrentBag<(string Type, Guid CaseId, Guid? MessageId, string Json)>();
        // A probe queue of its own on another service's bus: it sees what any consumer in the system would.
        var connector = system.Services("coordination").GetRequiredService<IReceiveEndpointConnector>();
        var handle = connector.ConnectReceiveEndpoint($"cases-events-probe-{Guid.NewGuid():N}", (_, endpoint) =>
        {
            endpoint.Handler<CaseOpened>(c => Record(c, c.Message.CaseId));
            endpoint.Handler<HouseholdMemberAdded>(c => Record(c, c.Message.CaseId));
            endpoint.Handler<ConsentGiven>(c => Record(c, c.Message.CaseId));
            endpoint.Handler<ConsentWithdrawn>(c => Record(c, c.Message.CaseId));
            endpoint.Handler<GoalAgreed>(c => Record(c, c.Message.CaseId));
            endpoint.Handler<CaseStatusChanged>(c => Record(c, c.Message.CaseId));
            endpoint.Handler<CaseClosed>(c => Record(c, c.Message.CaseId));
        });
        await handle.Ready;
        try
        {
            using var kari = system.Client("oppvekst", "caseworker");
            var number = IdentityNumbers.Adult();
            var caseId = await CaseClient.Open(kari, referral: new { source = "self" });
            var mona = (await CaseClient.AddMember(kari, caseId, "Mona", "parent", identityNumber: number)).GetProperty("personId").GetGuid();
            var first = await CaseClient.Consent(kari, caseId, mona);
            await CaseClient.Consent(kari, caseId, mona, null, "oppvekst", "kultur");
            (await kari.PostAsJsonAsync($"/api/cases/{caseId}/consents/{first}/withdrawal", new { reason = "Erstattet." })).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await kari.PostAsJsonAsync($"/api/cases/{caseId}/goals", new { text = "Mer tid sammen.", proposedBy = "family" })).StatusCode.ShouldBe(HttpStatusCode.Created);
            foreach (var to in new[] { "intake", "active", "closing", "closed" })
            {
                (await CaseClient.Move(kari, caseId, to)).StatusCode.ShouldBe(HttpStatusCode.OK, to);
            }
            // Refused changes publish nothing.
            (await CaseClient.Move(kari, caseId, "closing")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await kari.PostAsJsonAsync($"/api/cases/{caseId}/consents/{first}/withdrawal", new { reason = "Igjen." })).StatusCode.ShouldBe(HttpStatusCode.Conflict);

            var expected = new Dictionary<string, int>
            {
                [nameof(CaseOpened)] = 1, [nameof(HouseholdMemberAdded)] = 1, [nameof(ConsentGiven)] = 2, [nameof(ConsentWithdrawn)] = 1,
                [nameof(GoalAgreed)] = 1, [nameof(CaseStatusChanged)] = 4, [nameof(CaseClosed)] = 1,
            };
            await Eventually.True(() => Task.FromResult(received.Count(r => r.CaseId == caseId) >= expected.Values.Sum()), what: "every event of the case");
            await Task.Delay(1000); // room for a duplicate to arrive, were there one
            var mine = received.Where(r => r.CaseId == caseId).ToList();
            mine.GroupBy(r => r.Type).ToDictionary(g => g.Key, g => g.Count()).ShouldBe(expected, ignoreOrder: true);
            mine.Select(r => r.MessageId).Distinct().Count().ShouldBe(mine.Count);
            var individualAndCheckDigits = number[6..];
            mine.ShouldAllBe(r => !r.Json.Contains(individualAndCheckDigits) && !r.Json.Contains("Mona"));
            var added = JsonSerializer.Deserialize<JsonElement>(mine.Single(r => r.Type == nameof(HouseholdMemberAdded)).Json);
            added.GetProperty("personId").GetGuid().ShouldBe(mona);
            JsonSerializer.Deserialize<JsonElement>(mine.Single(r => r.Type == nameof(CaseOpened)).Json).GetProperty("referralSource").GetString().ShouldBe("self");
        }
        finally
        {
            await handle.StopAsync();
        }

        Task Record<T>(ConsumeContext<T> context, Guid caseId) where T : class
        {
            received.Add((typeof(T).Name, caseId, context.MessageId, JsonSerializer.Serialize(context.Message, JsonSerializerOptions.Web)));
            return Task.CompletedTask;
        }
    }
}
