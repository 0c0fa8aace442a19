using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.EndToEnd;

/// <summary>One trace follows a request from the gateway through cases, the outbox and the bus into every consumer.</summary>
[Collection(SystemCollection.Name)]
public sealed class TraceTests(SystemFixture system)
{
    [Fact]
    public async Task One_trace_follows_opening_a_case_from_the_gateway_into_every_consumer()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases")
        {
            Content = JsonContent.Create(new { householdName = "Familien Sporing", need = new { text = "Vi trenger noen å snakke med." } }),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        var response = await kari.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var caseId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await SliceTests.EventuallyOk(kari, $"/api/benefits/cases/{caseId}");
        await SliceTests.EventuallyOk(kari, $"/api/grants/cases/{caseId}");
        await SliceTests.EventuallyOk(kari, $"/api/outcomes/cases/{caseId}/schedule");
        await SliceTests.EventuallyOk(kari, $"/api/coordination/cases/{caseId}");

        var expected = new[]
        {
            "/coordination", "/outcomes", "/grants", "/benefits",
        };
        var trace = await Infrastructure.Eventually.Get(
            () => Task.FromResult(system.Activities.Where(a => a.TraceId == traceId).ToList()),
            t => expected.All(queue => t.Any(a => Consumed(a, queue))), TimeSpan.FromSeconds(10), "every consumer's span in the trace");

        trace.ShouldContain(a => a.Source.Name == "Yarp.ReverseProxy", "the gateway's proxy span");
        trace.Count(a => a.Kind == ActivityKind.Server && a.Source.Name == "Microsoft.AspNetCore").ShouldBeGreaterThanOrEqualTo(2, "gateway and cases both served the POST");
        trace.ShouldContain(a => a.Source.Name == "Samskaping.Outbox", "the outbox relay's publish");
        trace.ShouldContain(a => a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Producer, "the publish to RabbitMQ");
    }

    private static bool Consumed(Activity activity, string queue) =>
        activity.Source.Name == "MassTransit" && activity.Kind == ActivityKind.Consumer &&
        activity.Tags.Any(t => t.Value is { } v && v.Contains(queue, StringComparison.Ordinal));
}
