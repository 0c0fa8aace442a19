using Microsoft.Playwright;
using Samskaping.IntegrationTests.Cases;
using Shouldly;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Samskaping.IntegrationTests.Workspace;

/// <summary>
/// "Samtykker" on Min side in a real browser on a phone-sized screen: a parent signs in, gives a consent
/// with the keyboard alone and withdraws it, and a worker of the sector it covered, in a browser of their own, reads
/// the case while it holds and gets the not-found page at once after. Refused forms show the message beside the field;
/// another household's consents are the not-found page. axe-core and 320 px reflow on each page.
/// </summary>
[Collection(WorkspaceCollection.Name)]
public sealed class MinSideConsentPagesTests(WorkspaceSystem system)
{
    [Fact]
    public async Task A_parent_signs_in_gives_and_withdraws_a_consent_and_the_sector_loses_access_checked_from_the_workers_side()
    {
        var parentNumber = IdentityNumbers.Adult();
        using var kari = await system.ApiAs("Kari Nordmann", "oppvekst", "caseworker");
        var caseId = await CaseClient.Open(kari, "Familien Samtykke");
        var parent = (await CaseClient.AddMember(kari, caseId, "Per Samtykke", "parent", identityNumber: parentNumber)).GetProperty("personId").GetGuid();
        await CaseClient.AddMember(kari, caseId, "Cecilie Samtykke", "child", identityNumber: IdentityNumbers.Child(14), guardians: [parent]);
        var elsewhere = await CaseClient.Open(kari, "Familien Annetsteds");

        await using var phone = await system.NewPerson();
        var (page, refused) = await Browser.Open(phone);
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync($"/min-side/saker/{caseId}");
        await page.WaitForURLAsync(url => url.Contains("/signin", StringComparison.Ordinal));
        await page.GetByLabel("Fødselsnummer (11 siffer)").FillAsync(parentNumber);
        await page.GetByRole(AriaRole.Button, new() { Name = "Logg inn som innbygger" }).ClickAsync();
        await page.WaitForURLAsync($"**/min-side/saker/{caseId}");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Familien Samtykke", new() { Timeout = 60_000 });

        await page.GetByRole(AriaRole.Link, new() { Name = "Gi eller trekk tilbake et samtykke" }).ClickAsync();
        await page.WaitForURLAsync($"**/min-side/saker/{caseId}/samtykker");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Samtykker", Exact = true })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator("main")).ToContainTextAsync("Ingen har gitt samtykke i saken ennå.");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Hvem gjelder samtykket?" }).GetByRole(AriaRole.Radio))
            .ToHaveCountAsync(2);
        await Expect(page.GetByLabel("Cecilie Samtykke (barnet ditt)")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Deg selv")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Trekk tilbake et samtykke" })).ToHaveCountAsync(0);
        await page.ShouldBeAccessible();
        await page.ShouldReflowAt320();

        // Sent empty: each refusal beside its field, and the summary links to them.
        await page.GetByRole(AriaRole.Button, new() { Name = "Gi samtykket" }).ClickAsync();
        await Expect(page.Locator(".ds-error-summary")).ToContainTextAsync("Samtykket ble ikke gitt");
        await Expect(page.Locator("#consent-person-error")).ToHaveTextAsync("Velg hvem samtykket gjelder.");
        await Expect(page.Locator("#consent-sectors-error")).ToHaveTextAsync("Velg minst én.");
        (await page.Locator("#consent-person").GetAttributeAsync("aria-describedby")).ShouldBe("consent-person-error");
        await page.ShouldBeAccessible();
        await page.Screenshot("min-side-samtykker-feil");

        // A worker of oppvekst who does not lead the case (Kari, who opened it, leads it and sees it whatever the
        // consents say), in a browser of her own, reads the case: the opening sector's, before any consent.
        await using var office = await system.NewPerson();
        var (worker, workerRefused) = await Browser.Open(office);
        await worker.GotoAsync($"/saker/{caseId}");
        await Browser.ChoosePerson(worker, "Siri Moen");
        await worker.WaitForURLAsync($"**/saker/{caseId}");
        await Expect(worker.Locator("h1")).ToHaveTextAsync("Familien Samtykke", new() { Timeout = 60_000 });

        // The parent fills the form and sends it with the keyboard alone.
        await KeyboardSteps.TabTo(page, $"consent-person-{parent}");
        await page.Keyboard.PressAsync("Space");
        await KeyboardSteps.TabTo(page, "consent-sectors-oppvekst");
        await page.Keyboard.PressAsync("Space");
        await KeyboardSteps.TabTo(page, "consent-purposes-coordination");
        await page.Keyboard.PressAsync("Space");
        await KeyboardSteps.TabTo(page, "consent-categories-needs");
        await page.Keyboard.PressAsync("Space");
        await KeyboardSteps.TabToText(page, "Gi samtykket");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".ds-error-summary")).ToHaveCountAsync(0, new() { Timeout = 60_000 });
        var given = page.Locator("section[aria-labelledby=given] li");
        await Expect(given).ToHaveCountAsync(1);
        await Expect(given).ToContainTextAsync("Per Samtykke");
        await Expect(given).ToContainTextAsync("Gyldig");
        await Expect(given).ToContainTextAsync("Hvem kan se: Oppvekst");
        await page.ShouldBeAccessible();
        await page.ShouldReflowAt320();
        await page.Screenshot("min-side-samtykker");

        // The worker reads the case under the family's consent, and sees it was the family's own.
        await worker.GotoAsync($"/saker/{caseId}/samtykker");
        await Expect(worker.Locator("main")).ToContainTextAsync("Registrert av familien selv på Min side", new() { Timeout = 60_000 });
        await worker.GotoAsync($"/saker/{caseId}");
        await Expect(worker.Locator("h1")).ToHaveTextAsync("Familien Samtykke", new() { Timeout = 60_000 });

        // A withdrawal without a reason is refused beside the field; with one, the sector loses access at once.
        await page.GetByRole(AriaRole.Button, new() { Name = "Trekk tilbake samtykket" }).ClickAsync();
        await Expect(page.Locator("#withdraw-reason-error")).ToHaveTextAsync("Skriv hvorfor du trekker samtykket tilbake.");
        (await page.GetByLabel("Hvorfor trekker du det tilbake?").GetAttributeAsync("aria-invalid")).ShouldBe("true");
        await page.ShouldBeAccessible();
        await page.GetByLabel("Hvorfor trekker du det tilbake?").FillAsync("Vi vil ikke dele behovene med skolen lenger.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Trekk tilbake samtykket" }).ClickAsync();
        await Expect(given).ToContainTextAsync("Trukket tilbake", new() { Timeout = 60_000 });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Trekk tilbake et samtykke" })).ToHaveCountAsync(0);
        await page.ShouldBeAccessible();

        var gone = await worker.GotoAsync($"/saker/{caseId}");
        gone!.Status.ShouldBe(404);
        await Expect(worker.Locator("h1")).ToHaveTextAsync("Saken finnes ikke");
        await Expect(worker.Locator("main")).ToContainTextAsync("Saken finnes ikke, eller den er ikke delt med din sektor.");
        await worker.ShouldBeAccessible();
        workerRefused.ShouldBeEmpty();

        // The child's consent is the parent's to give as well; another household's consents are the not-found page.
        await page.GetByLabel("Cecilie Samtykke (barnet ditt)").CheckAsync();
        await page.GetByLabel("Kultur – fritidsaktiviteter, kulturskole og bibliotek").CheckAsync();
        await page.GetByLabel("Samordning – de som hjelper dere, kan snakke sammen og lage én plan med dere").CheckAsync();
        await page.GetByLabel("Behov – det dere har fortalt at dere trenger hjelp med").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Gi samtykket" }).ClickAsync();
        await Expect(given.First).ToContainTextAsync("Cecilie Samtykke", new() { Timeout = 60_000 });
        (await kari.GetStringAsync($"/api/cases/{elsewhere}")).ShouldContain("Familien Annetsteds");
        var hidden = await page.GotoAsync($"/min-side/saker/{elsewhere}/samtykker");
        hidden!.Status.ShouldBe(404);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Saken finnes ikke");
        await page.ShouldBeAccessible();
        refused.ShouldBeEmpty();
    }
}
