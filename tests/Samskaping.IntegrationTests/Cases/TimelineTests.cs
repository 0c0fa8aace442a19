using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Samskaping.Contracts.Coordination;
using Samskaping.Contracts.Grants;
using Samskaping.Contracts.Outcomes;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Cases;

/// <summary>The case timeline, built from the other services' events on the real bus, newest first, paged.</summary>
[Collection(SystemCollection.Name)]
public sealed class TimelineTests(SystemFixture system)
{
    [Fact]
    public async Task Events_from_every_service_land_on_the_timeline_once_newest_first()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var caseId = await CaseClient.Open(kari);
        var t0 = DateTimeOffset.UtcNow.AddMinutes(1);
        var grants = system.Services("grants").GetRequiredService<IBus>();
        var coordination = system.Services("coordination").GetRequiredService<IBus>();
        var outcomes = system.Services("outcomes").GetRequiredService<IBus>();
        var measure = Guid.NewGuid();
        var paidId = Guid.NewGuid();

        await coordination.Publish(new MeasureAgreed(caseId, measure, null, "Fotball for Sara", "kultur", new DateOnly(2026, 12, 1), null, new DateOnly(2027, 3, 1), "kari", t0.AddSeconds(1)));
        await grants.Publish(new GrantApproved(caseId, Guid.NewGuid(), Guid.NewGuid(), 1500m, "kari", null, t0.AddSeconds(2)));
        var paid = new DisbursementPaid(caseId, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 1500m, new DateOnly(2026, 12, 2), "REF-77", t0.AddSeconds(3));
        await grants.Publish(paid, c => c.MessageId = paidId);
        await grants.Publish(paid, c => c.MessageId = paidId); // a redelivery of the same message
        await outcomes.Publish(new MeasurementCompleted(caseId, Guid.NewGuid(), Guid.NewGuid(), "baseline", "self", false, t0.AddSeconds(4)));
        await outcomes.Publish(new NegativeEffectReported(caseId, Guid.NewGuid(), "gratitude-debt", 8, t0.AddSeconds(5)));
        await coordination.Publish(new MeasureCompleted(caseId, measure, true, "kari", t0.AddSeconds(6)));

        string[] newestFirst = ["measure-completed", "negative-effect-reported", "measurement-completed", "disbursement-paid", "grant-approved", "measure-agreed"];
        var timeline = await Eventually.Get(() => Items(kari, $"/api/cases/{caseId}/timeline?limit=100"),
            items => newestFirst.All(k => items.Any(i => i.Kind == k)), what: "every event on the timeline");
        timeline.Where(i => i.OccurredAt > t0).Select(i => i.Kind).ShouldBe(newestFirst);
        timeline.ShouldContain(i => i.Kind == "case-opened");
        timeline.Single(i => i.Kind == "disbursement-paid").Summary.ShouldBe("1500.00 NOK was paid on 2026-12-02.");
        timeline.ShouldAllBe(i => !i.Summary.Contains("Sara"));
        (await system.Database("cases").Scalar<long>("SELECT count(*) FROM cases.timeline WHERE event_id = @e", ("e", paidId))).ShouldBe(1);
    }

    [Fact]
    public async Task Every_other_event_the_timeline_shows_arrives_too()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var caseId = await CaseClient.Open(kari);
        var now = DateTimeOffset.UtcNow;
        var grants = system.Services("grants").GetRequiredService<IBus>();
        var coordination = system.Services("coordination").GetRequiredService<IBus>();

        await coordination.Publish(new CoordinatorHandoverRequested(caseId, Guid.NewGuid(), "kari", "nils", "nav", now));
        await coordination.Publish(new SectorLeftCase(caseId, "kultur", "Tiltaket er avsluttet.", now));
        await coordination.Publish(new ReviewOverdue(caseId, Guid.NewGuid(), "kultur", new DateOnly(2026, 11, 1), now));
        await grants.Publish(new GrantRequested(caseId, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 400m, "Sko", null, "kari", "oppvekst", now));
        await grants.Publish(new GrantDeclined(caseId, Guid.NewGuid(), Guid.NewGuid(), "Dekket av NAV.", "kari", now));
        await grants.Publish(new DisbursementStopped(caseId, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 400m, "Saken er avsluttet.", now));
        await grants.Publish(new DisbursementCancelled(caseId, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 400m, "Feil beløp.", now));

        string[] kinds = ["coordinator-handover-requested", "sector-left", "review-overdue", "grant-requested", "grant-declined", "disbursement-stopped", "disbursement-cancelled"];
        await Eventually.Get(() => Items(kari, $"/api/cases/{caseId}/timeline?limit=100"),
            items => kinds.All(k => items.Any(i => i.Kind == k)), what: "every kind on the timeline");
    }

    [Fact]
    public async Task The_timeline_pages_with_a_cursor_without_repeating_or_skipping()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var caseId = await CaseClient.Open(kari);
        var mona = await CaseClient.AddAdult(kari, caseId);
        await CaseClient.Consent(kari, caseId, mona);
        await CaseClient.Move(kari, caseId, "intake");
        await CaseClient.Move(kari, caseId, "active");
        var all = await Items(kari, $"/api/cases/{caseId}/timeline?limit=100");

        var paged = new List<TimelineItem>();
        string? cursor = null;
        do
        {
            var page = await CaseClient.Read(kari, $"/api/cases/{caseId}/timeline?limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            paged.AddRange(page.GetProperty("items").Deserialize<List<TimelineItem>>(JsonSerializerOptions.Web)!);
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        all.Count.ShouldBeGreaterThanOrEqualTo(5);
        paged.Select(i => i.Id).ShouldBe(all.Select(i => i.Id));
        all.Select(i => i.OccurredAt).ShouldBe(all.Select(i => i.OccurredAt).OrderDescending());
    }

    [Theory]
    [InlineData("cursor=bm9wZQ", "cursor", HttpStatusCode.BadRequest)]
    [InlineData("limit=0", "limit", HttpStatusCode.UnprocessableEntity)]
    [InlineData("limit=101", "limit", HttpStatusCode.UnprocessableEntity)]
    [InlineData("limit=ten", "limit", HttpStatusCode.BadRequest)]
    public async Task A_bad_cursor_or_limit_is_refused_naming_it(string query, string field, HttpStatusCode status)
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var caseId = await CaseClient.Open(kari);

        var response = await kari.GetAsync($"/api/cases/{caseId}/timeline?{query}");

        response.StatusCode.ShouldBe(status);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    private static async Task<List<TimelineItem>> Items(HttpClient client, string path) =>
        (await CaseClient.Read(client, path)).GetProperty("items").Deserialize<List<TimelineItem>>(JsonSerializerOptions.Web)!;

    private sealed record TimelineItem(Guid Id, string Kind, string Summary, string Source, DateTimeOffset OccurredAt);
}
