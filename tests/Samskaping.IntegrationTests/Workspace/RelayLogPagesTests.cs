using Microsoft.Playwright;
using Shouldly;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Samskaping.IntegrationTests.Workspace;

/// <summary>
/// The relay log and the timeline pages of a case, in a real browser against the real system: the coordinator writes
/// an entry in each confidentiality class, another participating sector reads what its class and its consents let it,
/// and the timeline tells what happened in bokmål, newest first.
/// </summary>
[Collection(WorkspaceCollection.Name)]
public sealed class RelayLogPagesTests(WorkspaceSystem system)
{
    private const string Ordinary = "Møte med mor og Sara. Neste møte 4. mars.";
    private const string Secrecy = "Helsesykepleier er bekymret for søvnen til Sara.";
    private const string Restricted = "Mor ba om at bare stafettholderen vet om gjelden.";
    private const string Health = "Mor fortalte om angst og søvnvansker.";

    // The mother's consent: both sectors may coordinate about her needs, and about nothing else (not her health).
    private static readonly string[] ConsentSectors = ["oppvekst", "helse-velferd"];
    private static readonly string[] ConsentPurposes = ["coordination"];
    private static readonly string[] ConsentData = ["needs"];

    // The timeline, newest first, in bokmål.
    private static readonly string[] Story = ["En sektor ble med i saken.", "Et samtykke ble gitt.", "En person ble lagt til i husstanden.", "Saken ble åpnet."];

    [Fact]
    public async Task Entries_in_each_class_reach_exactly_the_readers_the_class_and_the_consents_allow_and_the_timeline_tells_the_story()
    {
        await using var kari = await system.NewPerson();
        var (page, refused) = await Browser.Open(kari);
        var caseId = await page.OpenCaseAsKari("Familien Strand", "Vi trenger hjelp til at Sara sover og går på skolen.");
        await ShareWithHelseVelferd(page, caseId);

        await page.GetByRole(AriaRole.Link, new() { Name = "Stafettlogg" }).ClickAsync();
        await page.WaitForURLAsync($"**/saker/{caseId}/stafettlogg");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Familien Strand");
        await Expect(page.Locator("main")).ToContainTextAsync("Ingen har skrevet i stafettloggen ennå.");
        await page.ShouldBeAccessible();

        // Refused: no type and no text. Each message stands beside its field, and what was chosen stays.
        await page.GetByLabel("Begrenset").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Lagre i stafettloggen" }).ClickAsync();
        await page.Locator("#entry-text-error").WaitForAsync();
        await Expect(page.Locator("#entry-text-error")).ToHaveTextAsync("Fyll ut dette feltet.");
        await Expect(page.Locator("#type-error")).ToHaveTextAsync("Velg hva slags oppføring dette er.");
        (await page.Locator("#entry-text").GetAttributeAsync("aria-invalid")).ShouldBe("true");
        (await page.Locator("#entry-text").GetAttributeAsync("aria-describedby"))!.ShouldContain("entry-text-error");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Oppføringen ble ikke lagret");
        await Expect(page.GetByLabel("Begrenset")).ToBeCheckedAsync();
        await page.ShouldBeAccessible();

        await JourneySteps.WriteRelayEntry(page, "Møte", "Vanlig", null, Ordinary);
        await JourneySteps.WriteRelayEntry(page, "Notat", "Taushetsbelagt", null, Secrecy);
        await JourneySteps.WriteRelayEntry(page, "Beslutning", "Begrenset", null, Restricted);
        await JourneySteps.WriteRelayEntry(page, "Møte", "Vanlig", "health", Health);

        // The author and lead coordinator sees every entry, newest first.
        var texts = await page.Locator("section[aria-labelledby=entries] li").AllInnerTextsAsync();
        texts.Count.ShouldBe(4);
        texts[0].ShouldContain(Health);
        texts[1].ShouldContain(Restricted);
        texts[2].ShouldContain(Secrecy);
        texts[3].ShouldContain(Ordinary);
        texts[2].ShouldContain("Taushetsbelagt");
        texts[3].ShouldContain("Skrevet av dev-kari-nordmann (Oppvekst)");
        await page.ShouldBeAccessible();

        // Hanne in helse-velferd: the ordinary entries only, and the health one without its text, since the consent
        // covering her sector names needs, not health.
        await using var hanne = await system.NewPerson();
        var (hannesPage, hannesRefused) = await Browser.Open(hanne);
        await hannesPage.GotoAsync($"/saker/{caseId}/stafettlogg");
        await Browser.ChoosePerson(hannesPage, "Hanne Hagen");
        await hannesPage.WaitForURLAsync($"**/saker/{caseId}/stafettlogg");
        await Expect(hannesPage.Locator("h1")).ToHaveTextAsync("Familien Strand");
        var hannesEntries = await hannesPage.Locator("section[aria-labelledby=entries] li").AllInnerTextsAsync();
        hannesEntries.Count.ShouldBe(2);
        hannesEntries[0].ShouldContain("Innholdet er skjermet for din sektor.");
        hannesEntries[0].ShouldContain("opplysninger om helse");
        hannesEntries[0].ShouldContain("Skrevet av dev-kari-nordmann (Oppvekst)");
        hannesEntries[1].ShouldContain(Ordinary);
        var hannesView = await hannesPage.Locator("main").InnerTextAsync();
        hannesView.ShouldNotContain(Health);
        hannesView.ShouldNotContain(Secrecy);
        hannesView.ShouldNotContain(Restricted);
        await hannesPage.ShouldBeAccessible();
        hannesRefused.ShouldBeEmpty();

        // The timeline, newest first, in bokmål. Events of other services arrive through the broker.
        await page.GetByRole(AriaRole.Link, new() { Name = "Tidslinje" }).ClickAsync();
        await page.WaitForURLAsync($"**/saker/{caseId}/tidslinje");
        await JourneySteps.TimelineShouldTell(page, Story);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Familien Strand");

        refused.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_sector_that_does_not_take_part_gets_the_not_found_page_for_the_relay_log_and_the_timeline()
    {
        await using var kari = await system.NewPerson();
        var (page, _) = await Browser.Open(kari);
        var caseId = await page.OpenCaseAsKari("Familien Foss", "Vi trenger hjelp til at Sara sover og går på skolen.");

        await using var nils = await system.NewPerson();
        var (nilsPage, refused) = await Browser.Open(nils);
        var first = true;
        foreach (var part in new[] { "stafettlogg", "tidslinje" })
        {
            var answer = await nilsPage.GotoAsync($"/saker/{caseId}/{part}");
            if (first)
            {
                await nilsPage.WaitForURLAsync(url => url.Contains("/signin", StringComparison.Ordinal));
                await nilsPage.Locator("button[value='dev-nils-aas|kultur']").ClickAsync();
                await nilsPage.WaitForURLAsync($"**/saker/{caseId}/{part}");
                answer = await nilsPage.ReloadAsync();
                first = false;
            }
            answer!.Status.ShouldBe(404, part);
            await Expect(nilsPage.Locator("h1")).ToHaveTextAsync("Saken finnes ikke");
            await Expect(nilsPage.Locator("main")).ToContainTextAsync("Saken finnes ikke, eller den er ikke delt med din sektor.");
            (await nilsPage.Locator("main").InnerTextAsync()).ShouldNotContain("Familien Foss");
            await nilsPage.ShouldBeAccessible();
        }
        refused.ShouldBeEmpty();
    }

    /// <summary>
    /// Through the household, consent and collaboration pages as Kari: the mother, her consent for oppvekst and
    /// helse-velferd to coordinate about her needs, and helse-velferd in the coordination group.
    /// </summary>
    private static async Task ShareWithHelseVelferd(IPage page, Guid caseId)
    {
        await page.GotoAsync($"/saker/{caseId}/samtykker");
        await JourneySteps.AddMember(page, "Eva Strand", "Foresatt", "1986-05-14");
        await JourneySteps.GiveConsent(page, "Eva Strand", "Eva Strand", ConsentSectors, purposes: ConsentPurposes, categories: ConsentData);
        await JourneySteps.JoinSector(page, caseId, "Helse og velferd");
    }
}
