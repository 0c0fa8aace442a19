using Samskaping.IntegrationTests.Cases;
using Shouldly;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Samskaping.IntegrationTests.Workspace;

/// <summary>
/// Min side with the keyboard alone, on a phone-sized screen: the TestID sign-in (typing the number, choosing the
/// level with the arrow keys), the skip link, the family's cases, a case's overview and "who looked", and back.
/// </summary>
[Collection(WorkspaceCollection.Name)]
public sealed class MinSideKeyboardTests(WorkspaceSystem system)
{
    [Fact]
    public async Task A_parent_goes_through_min_side_with_the_keyboard_alone()
    {
        var parentNumber = IdentityNumbers.Adult();
        using var kari = await system.ApiAs("Kari Nordmann", "oppvekst", "caseworker");
        var caseId = await CaseClient.Open(kari, "Familien Tastatur");
        var parent = (await CaseClient.AddMember(kari, caseId, "Siri Tastatur", "parent", identityNumber: parentNumber)).GetProperty("personId").GetGuid();
        await CaseClient.Consent(kari, caseId, parent);
        (await kari.GetAsync($"/api/cases/{caseId}")).EnsureSuccessStatusCode();

        await using var phone = await system.NewPerson();
        var (page, refused) = await Browser.Open(phone);
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/min-side");
        await page.WaitForURLAsync(url => url.Contains("/signin", StringComparison.Ordinal));

        await KeyboardSteps.TabTo(page, "pid");
        await KeyboardSteps.ShouldShowFocus(page);
        await page.Keyboard.TypeAsync(parentNumber);
        await page.Keyboard.PressAsync("Tab");
        (await KeyboardSteps.Focused(page, "type")).ShouldBe("radio");
        await KeyboardSteps.ShouldShowFocus(page);
        // Arrow keys move the choice within the group: from the first level to the next.
        var first = await KeyboardSteps.Focused(page, "value");
        await page.Keyboard.PressAsync("ArrowDown");
        (await KeyboardSteps.Focused(page, "value")).ShouldNotBe(first);
        (await KeyboardSteps.Focused(page, "checked")).ShouldBe("true");
        await KeyboardSteps.TabToText(page, "Logg inn som innbygger");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/min-side");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Mine saker");

        // The skip link is the first stop; Designsystemet shows its focus by making it appear, not by a ring.
        await page.Keyboard.PressAsync("Tab");
        (await KeyboardSteps.Focused(page, "innerText")).ShouldBe("Hopp til innholdet");
        (await page.EvaluateAsync<double>("() => document.activeElement.getBoundingClientRect().width")).ShouldBeGreaterThan(20);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/min-side#innhold");
        await KeyboardSteps.TabToText(page, "Familien Tastatur");
        (await KeyboardSteps.FocusIsInMain(page)).ShouldBeTrue("the skip link leads past the menu");

        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"**/min-side/saker/{caseId}");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Familien Tastatur", new() { Timeout = 60_000 });
        await Expect(page.Locator("main")).ToContainTextAsync("Siri Tastatur (deg)");
        await page.ShouldBeAccessible();

        await KeyboardSteps.TabToText(page, "Hvem har sett", backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/min-side/innsyn");
        await Expect(page.Locator("h1")).Not.ToHaveTextAsync("Familien Tastatur", new() { Timeout = 60_000 });
        // The list is whole or not shown (a service that did not answer in time); on a busy machine, load it again.
        for (var i = 0; i < 5 && await page.Locator("h1").TextContentAsync() == "Listen kan ikke vises nå"; i++)
        {
            await page.Keyboard.PressAsync("F5");
            await page.WaitForLoadStateAsync();
        }
        await Expect(page.Locator("h1")).ToHaveTextAsync("Hvem har sett opplysningene", new() { Timeout = 60_000 });
        await Expect(page.Locator("main")).ToContainTextAsync("Saksbehandler i Oppvekst så på opplysninger om deg");
        await page.ShouldBeAccessible();

        await KeyboardSteps.TabToText(page, "Mine saker", backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.EndsWith("/min-side", StringComparison.Ordinal));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Mine saker", new() { Timeout = 60_000 });
        refused.ShouldBeEmpty();
    }
}
