using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Grants;

/// <summary>
/// A fund belongs to the sector that owns it: its grant-approvers (and admins) put money in, move money out, read its
/// ledger and see its balances. Other sectors see that it exists and its rules (they request grants from it), and get
/// 403 for managing it; money may be moved into it from a fund of their own.
/// </summary>
[Collection(GrantsCollection.Name)]
public sealed class FundManagementTests(GrantsFixture grants)
{
    [Fact]
    public async Task A_grant_approver_of_another_sector_cannot_top_up_move_money_out_of_or_read_the_ledger_of_a_fund()
    {
        var fund = (await grants.CreateFund(budget: 1_000m)).GetProperty("id").GetGuid();
        using var kultur = grants.Client("kultur", "grant-approver", "kultur-approver");
        var kulturFund = await Create(kultur, "kultur");

        var answers = new[]
        {
            await GrantsFixture.Post(kultur, $"/api/grants/funds/{fund}/top-ups", new { amount = 10m }),
            await GrantsFixture.Post(kultur, $"/api/grants/funds/{fund}/reallocations", new { toFundId = kulturFund, amount = 500m, reason = "vi trenger det" }),
            await kultur.GetAsync($"/api/grants/funds/{fund}/ledger"),
        };

        foreach (var answer in answers)
        {
            answer.StatusCode.ShouldBe(HttpStatusCode.Forbidden, answer.RequestMessage!.RequestUri!.ToString());
            answer.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldContain("oppvekst");
        }
        (await grants.Balances(fund)).ShouldBe((1_000m, 0m, 0m, -1_000m));
        (await grants.Balances(kulturFund)).ShouldBe((1_000m, 0m, 0m, -1_000m));
    }

    [Fact]
    public async Task The_owning_sectors_grant_approvers_and_admins_of_any_sector_manage_a_fund()
    {
        var fund = (await grants.CreateFund(budget: 1_000m)).GetProperty("id").GetGuid();
        var other = (await grants.CreateFund(budget: 0m)).GetProperty("id").GetGuid();
        using var siri = grants.Client("oppvekst", "grant-approver", "siri");
        using var admin = grants.Client("kultur", "admin", "drift");

        foreach (var manager in new[] { siri, admin })
        {
            (await GrantsFixture.Post(manager, $"/api/grants/funds/{fund}/top-ups", new { amount = 10m })).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await GrantsFixture.Post(manager, $"/api/grants/funds/{fund}/reallocations", new { toFundId = other, amount = 5m, reason = "omfordeling" }))
                .StatusCode.ShouldBe(HttpStatusCode.OK);
            (await manager.GetAsync($"/api/grants/funds/{fund}/ledger")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        (await grants.Balances(fund)).ShouldBe((1_010m, 0m, 0m, -1_020m));
    }

    [Fact]
    public async Task A_grant_approver_creates_funds_for_their_own_sector_and_an_admin_for_any_owner()
    {
        using var kultur = grants.Client("kultur", "grant-approver", "kultur-approver");
        using var admin = grants.Client("nav", "admin", "drift");

        var forOppvekst = await GrantsFixture.Post(kultur, "/api/grants/funds", GrantsFixture.FundBody(1_000m, owner: "oppvekst"));
        forOppvekst.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await forOppvekst.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldContain("kultur");
        (await GrantsFixture.Post(kultur, "/api/grants/funds", GrantsFixture.FundBody(1_000m, owner: "kultur"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await GrantsFixture.Post(admin, "/api/grants/funds", GrantsFixture.FundBody(1_000m, owner: "oppvekst"))).StatusCode.ShouldBe(HttpStatusCode.Created);

        // A programme's fund, owned by no sector, is managed by admins alone.
        var programme = await Create(admin, "Innbyggernes modell");
        (await GrantsFixture.Post(kultur, $"/api/grants/funds/{programme}/top-ups", new { amount = 10m })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await GrantsFixture.Post(admin, $"/api/grants/funds/{programme}/top-ups", new { amount = 10m })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Money_may_be_moved_from_ones_own_fund_into_another_sectors_without_seeing_its_balances()
    {
        var oppvekstFund = (await grants.CreateFund(budget: 1_000m)).GetProperty("id").GetGuid();
        using var kultur = grants.Client("kultur", "grant-approver", "kultur-approver");
        var kulturFund = await Create(kultur, "kultur");

        var moved = await GrantsFixture.Post(kultur, $"/api/grants/funds/{kulturFund}/reallocations",
            new { toFundId = oppvekstFund, amount = 200m, reason = "felles tiltak i oppvekst" });

        moved.StatusCode.ShouldBe(HttpStatusCode.OK, await moved.Content.ReadAsStringAsync());
        var view = await moved.Content.ReadFromJsonAsync<JsonElement>();
        view.GetProperty("from").GetProperty("balances").GetProperty("available").GetDecimal().ShouldBe(800m);
        view.GetProperty("to").GetProperty("balances").ValueKind.ShouldBe(JsonValueKind.Null, "the receiving fund is not theirs to manage");
        (await grants.Balances(oppvekstFund)).Available.ShouldBe(1_200m);
    }

    [Fact]
    public async Task Every_sector_sees_that_a_fund_exists_and_its_rules_and_only_its_managers_see_its_balances()
    {
        var fund = (await grants.CreateFund(budget: 1_000m)).GetProperty("id").GetGuid();
        using var ola = grants.Client("oppvekst", "grant-approver", "ola");
        using var kultur = grants.Client("kultur", "grant-approver", "kultur-approver");
        using var admin = grants.Client("frivillighet", "admin", "drift");

        (await Balances(ola, fund)).ValueKind.ShouldBe(JsonValueKind.Object);
        (await Balances(admin, fund)).ValueKind.ShouldBe(JsonValueKind.Object);
        (await Balances(kultur, fund)).ValueKind.ShouldBe(JsonValueKind.Null);
        var listed = (await kultur.GetFromJsonAsync<JsonElement>("/api/grants/funds")).EnumerateArray().Single(f => f.GetProperty("id").GetGuid() == fund);
        listed.GetProperty("approvalThreshold").GetDecimal().ShouldBe(5_000m);
        listed.GetProperty("balances").ValueKind.ShouldBe(JsonValueKind.Null);
        (await ola.GetFromJsonAsync<JsonElement>("/api/grants/funds")).EnumerateArray().Single(f => f.GetProperty("id").GetGuid() == fund)
            .GetProperty("balances").GetProperty("available").GetDecimal().ShouldBe(1_000m);

        var missing = Guid.NewGuid();
        (await GrantsFixture.Post(kultur, $"/api/grants/funds/{missing}/top-ups", new { amount = 10m })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await kultur.GetAsync($"/api/grants/funds/{missing}/ledger")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private static async Task<JsonElement> Balances(HttpClient client, Guid fund) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/grants/funds/{fund}")).GetProperty("balances");

    private static async Task<Guid> Create(HttpClient client, string owner)
    {
        var response = await GrantsFixture.Post(client, "/api/grants/funds", GrantsFixture.FundBody(1_000m, owner: owner));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
