using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Samskaping.Grants.Idempotency;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Grants;

[Collection(GrantsCollection.Name)]
public sealed class IdempotencyTests(GrantsFixture grants)
{
    [Fact]
    public async Task The_same_key_sent_three_times_at_once_has_one_effect_and_one_answer()
    {
        var fund = (await grants.CreateFund(budget: 5_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fund, 700m))).GetProperty("id").GetGuid();
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => GrantsFixture.Post(kari, $"/api/grants/grants/{grantId}/approve", null, key)));

        responses.Select(r => r.StatusCode).ShouldAllBe(s => s == HttpStatusCode.OK);
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        bodies.Distinct().Count().ShouldBe(1, "all three get the first answer");
        (await grants.Balances(fund)).Reserved.ShouldBe(700m);
        (await grants.Database.Scalar<long>("SELECT count(*) FROM grants.ledger_transactions WHERE grant_id = @g", ("g", grantId))).ShouldBe(1);
        (await grants.Database.Scalar<long>("SELECT count(*) FROM grants.disbursements WHERE grant_id = @g", ("g", grantId))).ShouldBe(1);
        (await grants.Events("GrantApproved", "grantId", grantId)).ShouldBe(1);
    }

    [Fact]
    public async Task Three_concurrent_grant_requests_with_one_key_create_one_grant()
    {
        var fund = (await grants.CreateFund(budget: 5_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        var key = Guid.NewGuid().ToString();
        var body = GrantsFixture.Request(fund, 123.45m);

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => GrantsFixture.Post(kari, $"/api/grants/cases/{caseId}/grants", body, key)));

        responses.Select(r => r.StatusCode).ShouldAllBe(s => s == HttpStatusCode.Created);
        responses.Select(r => r.Headers.Location!.ToString()).Distinct().Count().ShouldBe(1);
        (await grants.Database.Scalar<long>("SELECT count(*) FROM grants.grants WHERE case_id = @c", ("c", caseId))).ShouldBe(1);
    }

    [Fact]
    public async Task A_key_reused_with_another_body_is_422_and_changes_nothing()
    {
        var fund = (await grants.CreateFund(budget: 5_000m)).GetProperty("id").GetGuid();
        using var approver = grants.Client("oppvekst", "grant-approver", "fund-admin");
        var key = Guid.NewGuid().ToString();
        (await GrantsFixture.Post(approver, $"/api/grants/funds/{fund}/top-ups", new { amount = 100m }, key)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var replay = await GrantsFixture.Post(approver, $"/api/grants/funds/{fund}/top-ups", new { amount = 100m }, key);
        replay.StatusCode.ShouldBe(HttpStatusCode.OK);

        var other = await GrantsFixture.Post(approver, $"/api/grants/funds/{fund}/top-ups", new { amount = 200m }, key);

        other.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Idempotency-Key", out _).ShouldBeTrue();
        (await grants.Balances(fund)).Available.ShouldBe(5_100m, "one top-up, not two or three");
    }

    [Fact]
    public async Task A_key_belongs_to_the_caller_so_two_workers_using_the_same_key_each_get_their_own_first_use()
    {
        var fund = (await grants.CreateFund(budget: 5_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var ola = grants.Client("oppvekst", "grant-approver", "fund-admin");
        using var siri = grants.Client("oppvekst", "grant-approver", "siri");
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        using var per = grants.Client("oppvekst", "caseworker", "per");
        var key = "order-" + Guid.NewGuid().ToString("N")[..8];

        var olaTopUp = await GrantsFixture.Post(ola, $"/api/grants/funds/{fund}/top-ups", new { amount = 100m }, key);
        var siriTopUp = await GrantsFixture.Post(siri, $"/api/grants/funds/{fund}/top-ups", new { amount = 200m }, key);
        var kariGrant = await GrantsFixture.Post(kari, $"/api/grants/cases/{caseId}/grants", GrantsFixture.Request(fund, 10m), key);
        var perGrant = await GrantsFixture.Post(per, $"/api/grants/cases/{caseId}/grants", GrantsFixture.Request(fund, 10m), key);
        var olaAgain = await GrantsFixture.Post(ola, $"/api/grants/funds/{fund}/top-ups", new { amount = 100m }, key);

        olaTopUp.StatusCode.ShouldBe(HttpStatusCode.OK);
        siriTopUp.StatusCode.ShouldBe(HttpStatusCode.OK, await siriTopUp.Content.ReadAsStringAsync());
        kariGrant.StatusCode.ShouldBe(HttpStatusCode.Created);
        perGrant.StatusCode.ShouldBe(HttpStatusCode.Created, await perGrant.Content.ReadAsStringAsync());
        perGrant.Headers.Location.ShouldNotBe(kariGrant.Headers.Location, "per's request made per's grant, not a replay of kari's");
        olaAgain.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await olaAgain.Content.ReadAsStringAsync()).ShouldBe(await olaTopUp.Content.ReadAsStringAsync(), "ola's retry replays ola's first answer");
        (await grants.Balances(fund)).Available.ShouldBe(5_300m, "one top-up each, the retry none");
        (await grants.Database.Scalar<long>("SELECT count(*) FROM grants.grants WHERE case_id = @c", ("c", caseId))).ShouldBe(2);
    }

    [Fact]
    public async Task A_money_moving_post_without_a_key_is_400_naming_the_header()
    {
        var fund = (await grants.CreateFund(budget: 5_000m)).GetProperty("id").GetGuid();
        using var approver = grants.Client("oppvekst", "grant-approver", "fund-admin");

        var response = await approver.PostAsJsonAsync($"/api/grants/funds/{fund}/top-ups", new { amount = 100m });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Idempotency-Key", out _).ShouldBeTrue();
        (await grants.Balances(fund)).Available.ShouldBe(5_000m);
    }

    [Fact]
    public async Task Keys_are_kept_for_the_retention_time_and_deleted_after_it()
    {
        // In the past, so the other tests' keys (made on the real clock) are never older than the cut-off here.
        var clock = new ManualClock(DateTimeOffset.UtcNow.AddYears(-10));
        await using var session = new DbSession(grants.DataSource);
        var requests = new IdempotentRequests(session, clock);
        var user = new CurrentUser("cleanup-test", "Test", "admin", "");
        var key = "cleanup-" + Guid.NewGuid();
        await requests.Run(key, user, "test", new { x = 1 }, (_, _) => Task.FromResult(Answer.Done("first")), CancellationToken.None);

        clock.Advance(TimeSpan.FromHours(23));
        (await IdempotencyKeyCleanup.DeleteOlderThan(grants.DataSource, TimeSpan.FromHours(24), clock, CancellationToken.None)).ShouldBe(0);
        (await requests.Run(key, user, "test", new { x = 1 }, (_, _) => Task.FromResult(Answer.Done("second")), CancellationToken.None))
            .Value.ShouldBe("first", "within 24 hours the first answer is replayed");

        clock.Advance(TimeSpan.FromHours(2));
        (await IdempotencyKeyCleanup.DeleteOlderThan(grants.DataSource, TimeSpan.FromHours(24), clock, CancellationToken.None)).ShouldBe(1);
        (await grants.Database.Scalar<long>("SELECT count(*) FROM grants.idempotency_keys WHERE key = @k", ("k", key))).ShouldBe(0);
        grants.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdempotencyOptions>>().Value.Keep
            .ShouldBeGreaterThanOrEqualTo(TimeSpan.FromHours(24));
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
