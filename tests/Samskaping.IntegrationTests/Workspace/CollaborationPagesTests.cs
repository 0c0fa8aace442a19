using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Samskaping.IntegrationTests.Workspace.JourneySteps;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Workspace;

/// <summary>
/// "Husstand og samtykker" and "Samarbeid og stafett" in a real browser: the household and its consents decide which
/// sector sees the case, a sector joins under a consent, and the stafett passes only when the receiver accepts.
/// Every page visited passes axe-core and loads nothing its Content-Security-Policy refuses.
/// </summary>
[Collection(WorkspaceCollection.Name)]
public sealed class CollaborationPagesTests(WorkspaceSystem system)
{
    private const string Hanne = "dev-hanne-hagen";
    private static readonly string[] SchoolAndHealth = ["oppvekst", "helse-velferd"];
    private static readonly string[] School = ["oppvekst"];
    private static readonly string[] Parts = ["samtykker", "samarbeid"];

    [Fact]
    public async Task A_consent_covering_a_sector_lets_it_join_and_see_the_case_and_withdrawing_it_hides_the_case_again()
    {
        await using var kari = await system.NewPerson();
        var (page, refused) = await Browser.Open(kari);
        var caseId = await page.OpenCaseAsKari("Familien Berg");

        await page.GotoAsync($"/saker/{caseId}/samtykker");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Familien Berg");
        await page.ShouldBeAccessible();
        await AddMember(page, "Mona Berg", "Foresatt", "1985-03-14");
        await GiveConsent(page, "Mona Berg", "Mona Berg", SchoolAndHealth);
        var consents = page.Locator("section[aria-labelledby=consents]");
        await Expect(consents).ToContainTextAsync("Gyldig");
        await Expect(consents).ToContainTextAsync("Helse og velferd");
        await Expect(consents).ToContainTextAsync("gitt av personen selv");
        await page.ShouldBeAccessible();

        await JoinSector(page, caseId, "Helse og velferd");
        await page.ShouldBeAccessible();

        await using var hanne = await system.NewPerson();
        var (hannePage, hanneRefused) = await Browser.Open(hanne);
        await SignIn(hannePage, $"/saker/{caseId}/samtykker", "Hanne Hagen");
        (await GotoUntil(hannePage, $"/saker/{caseId}/samtykker", 200)).Status.ShouldBe(200);
        await Expect(hannePage.Locator("h1")).ToHaveTextAsync("Familien Berg");
        await Expect(hannePage.Locator("section[aria-labelledby=members]")).ToContainTextAsync("Mona Berg");
        await hannePage.ShouldBeAccessible();

        await page.GotoAsync($"/saker/{caseId}/samtykker");
        await page.GetByLabel("Hvorfor trekkes det tilbake?").FillAsync("Mona vil ikke at helse skal se saken nå.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Trekk tilbake samtykket" }).ClickAsync();
        await Expect(consents).ToContainTextAsync("Trukket tilbake");
        await Expect(consents).ToContainTextAsync("«Mona vil ikke at helse skal se saken nå.»");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Trekk tilbake samtykket" })).ToHaveCountAsync(0);
        await page.ShouldBeAccessible();

        // The cases service records the withdrawal with its access rules in one transaction: no waiting for events.
        foreach (var part in Parts)
        {
            var hidden = await hannePage.GotoAsync($"/saker/{caseId}/{part}");
            hidden!.Status.ShouldBe(404);
            await Expect(hannePage.Locator("h1")).ToHaveTextAsync("Saken finnes ikke");
            (await hannePage.Locator("main").InnerTextAsync()).ShouldNotContain("Familien Berg");
        }
        await hannePage.ShouldBeAccessible();

        refused.ShouldBeEmpty();
        hanneRefused.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_lead_asks_another_coordinator_to_take_over_and_the_lead_changes_when_they_accept()
    {
        await using var kari = await system.NewPerson();
        var (page, refused) = await Browser.Open(kari);
        var caseId = await page.OpenCaseAsKari("Familien Holm");
        await page.GotoAsync($"/saker/{caseId}/samtykker");
        await AddMember(page, "Eva Holm", "Forelder", "1990-11-02");
        await GiveConsent(page, "Eva Holm", "Eva Holm", SchoolAndHealth);
        await JoinSector(page, caseId, "Helse og velferd");

        await page.GetByLabel("Hvem skal ta over?").FillAsync(Hanne);
        await page.GetByLabel("Hvilken sektor jobber de i?").SelectOptionAsync(new SelectOptionValue { Label = "Helse og velferd" });
        await page.GetByLabel("Beskjed (valgfritt)").FillAsync("Helse har mest kontakt med familien nå.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Be om overlevering" }).ClickAsync();
        var handovers = page.Locator("section[aria-labelledby=handovers]");
        await Expect(handovers).ToContainTextAsync("Venter på svar");
        // Only the receiver is asked to answer; the one who asked may take it back.
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Ta over stafetten" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Trekk tilbake forespørselen til {Hanne}" })).ToBeVisibleAsync();
        await page.ShouldBeAccessible();

        await using var hanne = await system.NewPerson();
        var (hannePage, hanneRefused) = await Browser.Open(hanne);
        await SignIn(hannePage, $"/saker/{caseId}/samarbeid", "Hanne Hagen");
        (await GotoUntil(hannePage, $"/saker/{caseId}/samarbeid", 200)).Status.ShouldBe(200);
        await Expect(hannePage.GetByText("Du er spurt om å ta over stafetten")).ToBeVisibleAsync();
        await Expect(hannePage.GetByRole(AriaRole.Button, new() { Name = $"Trekk tilbake forespørselen til {Hanne}" })).ToHaveCountAsync(0);
        await hannePage.ShouldBeAccessible();
        await hannePage.GetByRole(AriaRole.Button, new() { Name = "Ta over stafetten" }).ClickAsync();
        await Expect(hannePage.Locator("#lead")).ToContainTextAsync($"{Hanne} (Helse og velferd)");
        await Expect(hannePage.Locator("section[aria-labelledby=handovers]")).ToContainTextAsync("Godtatt");
        await Expect(hannePage.GetByRole(AriaRole.Button, new() { Name = "Be om overlevering" })).ToBeVisibleAsync();
        await hannePage.ShouldBeAccessible();

        await page.ReloadAsync();
        await Expect(page.Locator("#lead")).ToContainTextAsync($"{Hanne} (Helse og velferd)");
        var leads = await page.Locator("section[aria-labelledby=leads] li").AllInnerTextsAsync();
        leads.Count.ShouldBe(2);
        leads.ShouldContain(l => l.Contains("dev-kari-nordmann") && l.Contains(" til "));
        leads.ShouldContain(l => l.Contains(Hanne) && l.Contains("nå"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Be om overlevering" })).ToHaveCountAsync(0);
        await page.ShouldBeAccessible();

        refused.ShouldBeEmpty();
        hanneRefused.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_refused_member_or_consent_shows_the_rule_beside_the_field_and_a_sector_outside_the_case_gets_404()
    {
        await using var kari = await system.NewPerson();
        var (page, refused) = await Browser.Open(kari);
        var caseId = await page.OpenCaseAsKari("Familien Sand");
        await page.GotoAsync($"/saker/{caseId}/samtykker");
        await AddMember(page, "Lise Sand", "Foresatt", "1982-06-20");

        // A wrong identity number is refused beside its field, and the number is not written back into the page.
        await page.GetByLabel("Navn", new() { Exact = true }).FillAsync("Sara Sand");
        await page.GetByLabel("Rolle i husstanden").SelectOptionAsync(new SelectOptionValue { Label = "Barn" });
        await page.GetByLabel("Fødselsnummer eller D-nummer (valgfritt)").FillAsync("12345678901");
        await page.GetByRole(AriaRole.Button, new() { Name = "Legg til i husstanden" }).ClickAsync();
        await Expect(page.Locator("#member-identity-number-error")).ToHaveTextAsync("Dette er ikke et gyldig fødselsnummer eller D-nummer. Sjekk sifrene.");
        (await page.Locator("#member-identity-number").GetAttributeAsync("aria-invalid")).ShouldBe("true");
        (await page.Locator("#member-identity-number").InputValueAsync()).ShouldBeEmpty();
        (await page.ContentAsync()).ShouldNotContain("12345678901");
        (await page.GetByLabel("Navn", new() { Exact = true }).InputValueAsync()).ShouldBe("Sara Sand");
        await page.ShouldBeAccessible();

        await page.GetByLabel("Fødselsnummer eller D-nummer (valgfritt)").FillAsync("");
        await page.GetByLabel("Fødselsdato").FillAsync("2016-04-09");
        await page.GetByLabel("Lise Sand").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Legg til i husstanden" }).ClickAsync();
        await Expect(page.Locator("section[aria-labelledby=members]")).ToContainTextAsync("Foresatte: Lise Sand");

        // A child under 15 does not consent for herself: the rule stands beside "who gives it".
        await GiveConsent(page, "Sara Sand", "Sara Sand", School, expectGiven: false);
        await Expect(page.Locator("#consent-given-by-error")).ToContainTextAsync("Barn under 15 år samtykker ikke selv");
        (await page.Locator("#consent-given-by").GetAttributeAsync("aria-invalid")).ShouldBe("true");
        (await page.Locator("#consent-given-by").GetAttributeAsync("aria-describedby"))!.ShouldContain("consent-given-by-error");
        await Expect(page.Locator(".ds-error-summary")).ToContainTextAsync("Samtykket ble ikke registrert");
        (await page.Locator("#consent-sectors-oppvekst").IsCheckedAsync()).ShouldBeTrue();
        await page.ShouldBeAccessible();

        // Nothing chosen: each group says so beside itself.
        await page.GotoAsync($"/saker/{caseId}/samtykker");
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrer samtykket" }).ClickAsync();
        await Expect(page.Locator("#consent-sectors-error")).ToHaveTextAsync("Velg minst én.");
        await Expect(page.Locator("#consent-person-error")).ToHaveTextAsync("Velg en person.");
        await page.ShouldBeAccessible();

        // Given by her guardian it is recorded.
        await GiveConsent(page, "Sara Sand", "Lise Sand", School);
        await Expect(page.Locator("section[aria-labelledby=consents]")).ToContainTextAsync("gitt av Lise Sand");

        await using var nils = await system.NewPerson();
        var (nilsPage, nilsRefused) = await Browser.Open(nils);
        await SignIn(nilsPage, $"/saker/{caseId}/samtykker", "Nils Aas saksbehandler, kultur");
        foreach (var part in Parts)
        {
            var hidden = await nilsPage.GotoAsync($"/saker/{caseId}/{part}");
            hidden!.Status.ShouldBe(404);
            await Expect(nilsPage.Locator("h1")).ToHaveTextAsync("Saken finnes ikke");
            (await nilsPage.Locator("main").InnerTextAsync()).ShouldNotContain("Familien Sand");
            await nilsPage.ShouldBeAccessible();
        }

        refused.ShouldBeEmpty();
        nilsRefused.ShouldBeEmpty();
    }
}
