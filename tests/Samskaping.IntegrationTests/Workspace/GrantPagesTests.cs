using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Shouldly;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Samskaping.IntegrationTests.Workspace;

/// <summary>
/// The grant pages in a real browser against the real system: a coordinator requests a grant above the fund's threshold
/// (a refused amount first, then a second submit of the same form), a grant-approver in another browser finds it waiting
/// for a second approver, decides it beside the household's current benefits and marks it paid; the fund's managers top
/// it up. Another sector that does not take part gets the not-found page. Every page passes axe-core.
/// </summary>
[Collection(WorkspaceCollection.Name)]
public sealed class GrantPagesTests(WorkspaceSystem system)
{
    private static readonly string[] ConsentSectors = ["oppvekst"];
    private static readonly string[] ConsentPurposes = ["coordination", "grants"];
    private static readonly string[] ConsentData = ["needs", "family", "economy"];
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_grant_above_the_threshold_is_requested_once_and_approved_by_a_second_approver_in_another_browser()
    {
        var (caseId, fundId) = await ActiveCaseWithFund("Familien Holm");
        var purpose = $"Fotballsko og treningsavgift for høsten ({_run}).";

        await using var kari = await system.NewPerson();
        var (page, refused) = await Browser.Open(kari);
        await page.GotoAsync($"/saker/{caseId}/tilskudd");
        await Browser.ChoosePerson(page, "Kari Nordmann");
        await page.WaitForURLAsync($"**/saker/{caseId}/tilskudd");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Familien Holm");
        await Expect(page.Locator("main")).ToContainTextAsync("Ingen tilskudd er søkt.");
        await page.ShouldBeAccessible();

        // Nothing is not an amount the API accepts: its message stands beside the field, and the form keeps what was typed.
        await JourneySteps.FillGrantRequest(page, fundId, "0", purpose, "Familien Holm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send søknaden" }).ClickAsync();
        await page.Locator("#grant-amount-error").WaitForAsync();
        await Expect(page.Locator("#grant-amount-error")).ToHaveTextAsync("Beløpet må være mer enn 0 kr.");
        (await page.Locator("#grant-amount").GetAttributeAsync("aria-invalid")).ShouldBe("true");
        (await page.Locator("#grant-amount").GetAttributeAsync("aria-describedby"))!.ShouldContain("grant-amount-error");
        (await page.GetByLabel("Hva pengene skal brukes til, med familiens egne ord").InputValueAsync()).ShouldBe(purpose);
        await page.ShouldBeAccessible();

        // The same form sent twice (a double click, a resend after a timeout) carries one key: one grant.
        await page.GetByLabel("Beløp i kroner").FillAsync("4500");
        var form = kari.APIRequest.CreateFormData();
        foreach (var (name, value) in await page.EvalOnSelectorAsync<Dictionary<string, string>>(
            "form:has(input[name=_handler][value=request-grant])", "f => Object.fromEntries(new FormData(f))"))
        {
            form.Set(name, value);
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Send søknaden" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = purpose })).ToBeVisibleAsync();
        var again = await kari.APIRequest.PostAsync($"/saker/{caseId}/tilskudd", new() { Form = form });
        again.Status.ShouldBe(200);
        using var kariApi = await system.ApiAs("Kari Nordmann", "oppvekst", "coordinator");
        var grants = (await kariApi.GetFromJsonAsync<JsonElement>($"/api/grants/cases/{caseId}")).GetProperty("grants").EnumerateArray().ToList();
        grants.Count(g => g.GetProperty("purpose").GetString() == purpose).ShouldBe(1);
        var grantId = grants.Single().GetProperty("id").GetGuid();

        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = purpose })).ToHaveCountAsync(1);
        await Expect(page.Locator("main")).ToContainTextAsync("Søkt");
        await Expect(page.Locator("main")).ToContainTextAsync("Du søkte selv, så en annen godkjenner må godkjenne.");
        (await page.GetByRole(AriaRole.Button, new() { Name = "Innvilg" }).CountAsync()).ShouldBe(0);
        await page.ShouldBeAccessible();

        // Ola, a grant-approver at another desk, finds it waiting and decides it seeing the household's benefits.
        await using var ola = await system.NewPerson();
        var (olaPage, olaRefused) = await Browser.Open(ola);
        await JourneySteps.ApproveAsSecondApprover(olaPage, caseId, purpose, "Innvilg 4 500,00 kr");

        var approved = await kariApi.GetFromJsonAsync<JsonElement>($"/api/grants/grants/{grantId}");
        approved.GetProperty("status").GetString().ShouldBe("approved");
        approved.GetProperty("secondApprover").GetString().ShouldBe("dev-ola-dahl");

        // The payment it planned is recorded as paid from the same page, with the bank's reference, which the API requires.
        await olaPage.GetByRole(AriaRole.Button, new() { Name = "Merk som utbetalt" }).ClickAsync();
        await Expect(olaPage.Locator("[id^='paid-reference-error']")).ToHaveTextAsync("Fyll ut dette feltet.");
        await olaPage.GetByLabel("Betalingsreferanse fra banken").FillAsync("BANK-2026-12-06-0042");
        await olaPage.GetByRole(AriaRole.Button, new() { Name = "Merk som utbetalt" }).ClickAsync();
        await Expect(olaPage.GetByRole(AriaRole.Button, new() { Name = "Merk som utbetalt" })).ToHaveCountAsync(0);
        await olaPage.ShouldBeAccessible();
        (await kariApi.GetFromJsonAsync<JsonElement>($"/api/grants/grants/{grantId}"))
            .GetProperty("disbursements")[0].GetProperty("status").GetString().ShouldBe("paid");

        await olaPage.GotoAsync("/godkjenning");
        await Expect(olaPage.GetByRole(AriaRole.Link, new() { Name = purpose })).ToHaveCountAsync(0);
        await olaPage.ShouldBeAccessible();

        refused.ShouldBeEmpty();
        olaRefused.ShouldBeEmpty();
    }

    [Fact]
    public async Task Another_sector_that_does_not_take_part_gets_the_not_found_page_for_the_cases_grants()
    {
        var (caseId, _) = await ActiveCaseWithFund("Familien Berge");
        await using var nils = await system.NewPerson();
        var (page, _) = await Browser.Open(nils);

        await page.GotoAsync($"/saker/{caseId}/tilskudd");
        await page.WaitForURLAsync(url => url.Contains("/signin", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Nils Aas" }).First.ClickAsync();
        await page.WaitForURLAsync($"**/saker/{caseId}/tilskudd");

        await Expect(page.Locator("h1")).ToHaveTextAsync("Saken finnes ikke");
        (await page.Locator("main").InnerTextAsync()).ShouldNotContain("Familien Berge");
        await page.ShouldBeAccessible();
        var again = await page.GotoAsync($"/saker/{caseId}/tilskudd");
        again!.Status.ShouldBe(404);
    }

    [Fact]
    public async Task A_funds_manager_sees_the_funds_money_and_tops_it_up_and_a_refused_amount_is_said_beside_the_field()
    {
        var (_, fundId) = await ActiveCaseWithFund("Familien Strand");
        await using var siri = await system.NewPerson();
        var (page, refused) = await Browser.Open(siri);

        await page.GotoAsync("/fond");
        await Browser.ChoosePerson(page, "Siri Moen");
        await page.WaitForURLAsync("**/fond");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Fond");
        var fund = page.Locator($"section[aria-labelledby='f-{fundId:N}']");
        await Expect(fund).ToContainTextAsync("Igjen å gi");
        await Expect(fund).ToContainTextAsync("50 000,00 kr");
        await page.ShouldBeAccessible();

        await fund.GetByLabel("Beløp i kroner").First.FillAsync("0");
        await fund.GetByRole(AriaRole.Button, new() { Name = "Fyll på fondet" }).ClickAsync();
        var error = page.Locator($"#top-up-amount-error-{fundId:N}");
        await Expect(error).ToHaveTextAsync("Beløpet må være mer enn 0 kr.");
        (await page.Locator($"#top-up-amount-{fundId:N}").GetAttributeAsync("aria-invalid")).ShouldBe("true");
        await page.ShouldBeAccessible();

        await page.Locator($"#top-up-amount-{fundId:N}").FillAsync("1000");
        await page.Locator($"#top-up-note-{fundId:N}").FillAsync("Tilleggsbevilgning");
        await fund.GetByRole(AriaRole.Button, new() { Name = "Fyll på fondet" }).ClickAsync();
        await Expect(page.Locator($"section[aria-labelledby='f-{fundId:N}']")).ToContainTextAsync("51 000,00 kr");
        await page.ShouldBeAccessible();

        refused.ShouldBeEmpty();
    }

    /// <summary>
    /// Through the API as Kari (the case's other pages are other parts of the workspace): an active case with the
    /// family's consent for grants, and a fund of 50 000 kr with a threshold of 3 000 kr; grants has learnt of the case.
    /// </summary>
    private async Task<(Guid CaseId, Guid FundId)> ActiveCaseWithFund(string household)
    {
        using var kari = await system.ApiAs("Kari Nordmann", "oppvekst", "coordinator");
        var caseId = (await Created(kari.PostAsJsonAsync("/api/cases", new
        {
            householdName = household,
            need = new { text = "Vi vil at barna skal kunne være med på fritidsaktiviteter.", saidBy = "Mor" },
        }))).GetProperty("id").GetGuid();
        var mother = (await Created(kari.PostAsJsonAsync($"/api/cases/{caseId}/members",
            new { name = "Mor " + household, role = "guardian", birthDate = "1985-04-12" }))).GetProperty("personId").GetGuid();
        await Created(kari.PostAsJsonAsync($"/api/cases/{caseId}/consents", new
        {
            personId = mother,
            givenByPersonId = mother,
            sectors = ConsentSectors,
            purposes = ConsentPurposes,
            dataCategories = ConsentData,
        }));
        await system.ActivateThroughTheApi(caseId);
        var fundId = await system.CreateFundThroughTheApi($"Fritid for alle {household} {_run}");
        return (caseId, fundId);
    }

    private static async Task<JsonElement> Created(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
