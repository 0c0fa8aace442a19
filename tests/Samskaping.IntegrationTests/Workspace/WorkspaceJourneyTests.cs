using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Workspace;

/// <summary>
/// A coordinator's first day in the workspace, in a real browser against the real system: sign in through the identity
/// provider, see my work, open a case with the need in the family's words, and land on the case. Every page visited
/// passes axe-core (WCAG 2.1 A and AA), reflows at 320 CSS px and loads nothing its Content-Security-Policy refuses.
/// </summary>
[Collection(WorkspaceCollection.Name)]
public sealed class WorkspaceJourneyTests(WorkspaceSystem system)
{
    [Fact]
    public async Task A_coordinator_signs_in_opens_a_case_with_the_need_first_and_lands_on_it()
    {
        await using var kari = await system.NewPerson();
        var (page, refused) = await Browser.Open(kari);

        await page.GotoAsync("/");
        await page.ShouldBeAccessible();
        await Browser.ChoosePerson(page, "Kari Nordmann");
        await page.WaitForURLAsync(system.Root.ToString());
        await Expect(page.Locator("h1")).ToHaveTextAsync("Mitt arbeid");
        (await page.ContentAsync()).ShouldContain("Kari Nordmann, Oppvekst");
        await page.ShouldBeAccessible();
        await page.ShouldReflowAt320();
        await page.Screenshot("mitt-arbeid");

        await page.GetByRole(AriaRole.Link, new() { Name = "Åpne en sak" }).ClickAsync();
        await page.WaitForURLAsync("**/saker/ny");
        await page.ShouldBeAccessible();
        await page.ShouldReflowAt320();

        // Without the need the API refuses, and its problem answer becomes a message beside the field.
        await page.GetByLabel("Navn på husstanden").FillAsync("Familien Lund");
        await page.GetByRole(AriaRole.Button, new() { Name = "Åpne saken" }).ClickAsync();
        await page.Locator("#need-text-error").WaitForAsync();
        await Expect(page.Locator("#need-text-error")).ToHaveTextAsync("Fyll ut dette feltet.");
        (await page.Locator("#need-text").GetAttributeAsync("aria-invalid")).ShouldBe("true");
        (await page.Locator("#need-text").GetAttributeAsync("aria-describedby"))!.ShouldContain("need-text-error");
        (await page.GetByLabel("Navn på husstanden").InputValueAsync()).ShouldBe("Familien Lund");
        await page.ShouldBeAccessible();
        await page.ShouldReflowAt320();
        await page.Screenshot("apne-sak-med-feil");

        await page.GetByLabel("Behovet, med familiens egne ord").FillAsync("Vi vil at Sara skal kunne spille fotball igjen.");
        await page.GetByLabel("Hvem sa det? (valgfritt)").FillAsync("Mor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Åpne saken" }).ClickAsync();
        await page.WaitForURLAsync(Browser.CasePath());
        await Expect(page.Locator("h1")).ToHaveTextAsync("Familien Lund");
        var content = await page.Locator("main").InnerTextAsync();
        content.ShouldContain("«Vi vil at Sara skal kunne spille fotball igjen.»");
        content.ShouldContain("Mor");
        content.ShouldContain("Henvist");
        await page.ShouldBeAccessible();
        await page.ShouldReflowAt320();
        await page.Screenshot("saken");

        await page.GetByRole(AriaRole.Link, new() { Name = "Saker", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/saker");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Familien Lund" }).First).ToBeVisibleAsync();
        await page.ShouldBeAccessible();
        await page.ShouldReflowAt320();
        await page.Screenshot("saker");

        refused.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_part_whose_service_is_down_says_so_on_each_case_page_and_the_rest_of_the_page_shows()
    {
        await using var kari = await system.NewPerson();
        var (page, _) = await Browser.Open(kari);
        var caseId = await page.OpenCaseAsKari("Familien Nedetid");

        // Each through a workspace whose gateway has that one service on a port nobody listens on.
        foreach (var (service, path, section, said) in new[]
        {
            ("grants", "", "grants", "Vi fikk ikke hentet tilskuddene nå."),
            ("grants", "/tilskudd", "grants", "Vi fikk ikke hentet tilskuddene nå."),
            ("coordination", "/plan", null, "Vi fikk ikke hentet planen nå."),
            ("coordination", "/samarbeid", "group", "Vi fikk ikke hentet samarbeidsgruppen nå."),
            ("outcomes", "/malinger", "responses", "Vi fikk ikke hentet svarene nå."),
        })
        {
            var shown = await page.GotoAsync(new Uri(system.WorkspaceWithServiceDown(service), $"saker/{caseId}{path}").ToString());

            shown!.Status.ShouldBe(200, customMessage: $"{path}: the case is there, one part of it is not");
            await Expect(page.Locator("h1")).ToContainTextAsync("Familien Nedetid");
            var part = section is null ? page.Locator("main") : page.Locator($"section[aria-labelledby={section}]");
            await Expect(part).ToContainTextAsync(said + " Last siden på nytt om litt.");
            (await part.InnerTextAsync()).ShouldNotContain("for deg", customMessage: $"{path}: a service that is down is not a matter of access");
            await page.ShouldBeAccessible();
        }
    }

    [Fact]
    public async Task Another_sectors_worker_is_told_the_case_does_not_exist_or_is_not_shared()
    {
        var caseId = await OpenCaseAsKari("Familien Dal");
        await using var hanne = await system.NewPerson();
        var (page, _) = await Browser.Open(hanne);

        await page.GotoAsync($"/saker/{caseId}");
        await Browser.ChoosePerson(page, "Hanne Hagen");
        await page.WaitForURLAsync($"**/saker/{caseId}");

        await Expect(page.Locator("h1")).ToHaveTextAsync("Saken finnes ikke");
        await Expect(page.Locator("main")).ToContainTextAsync("Saken finnes ikke, eller den er ikke delt med din sektor.");
        (await page.Locator("main").InnerTextAsync()).ShouldNotContain("Familien Dal");
        await page.ShouldBeAccessible();
        var again = await page.GotoAsync($"/saker/{caseId}");
        again!.Status.ShouldBe(404);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Saken finnes ikke");

        // An address nothing answers is the same page in its general words, with its status, not the browser's error page.
        var unknown = await page.GotoAsync("/finnes-ikke/her");
        unknown!.Status.ShouldBe(404);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Siden finnes ikke");
        await page.ShouldBeAccessible();
    }

    [Fact]
    public async Task Sign_in_works_with_the_keyboard_alone()
    {
        await using var kari = await system.NewPerson();
        var (page, _) = await Browser.Open(kari);
        await page.GotoAsync("/");
        await KeyboardSteps.SignIn(page, "Kari Nordmann");
        await page.WaitForURLAsync(system.Root.ToString());
        await Expect(page.Locator("h1")).ToHaveTextAsync("Mitt arbeid");

        // The first stop on every page is the way past the menu to the content.
        await page.Keyboard.PressAsync("Tab");
        (await KeyboardSteps.FocusedText(page, "A")).ShouldBe("Hopp til innholdet");
    }

    private async Task<Guid> OpenCaseAsKari(string household)
    {
        await using var kari = await system.NewPerson();
        var (page, _) = await Browser.Open(kari);
        return await page.OpenCaseAsKari(household, "Vi trenger noen å snakke med.");
    }
}
