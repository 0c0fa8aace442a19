using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Samskaping.IntegrationTests.Cases;
using Shouldly;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Samskaping.IntegrationTests.Workspace;

/// <summary>
/// Answering for themselves in a real browser: a parent answers a questionnaire on a phone, for themselves and, by keyboard
/// alone, for the child of 14; who sees what is told before the send button; a refusal is shown beside the field; the
/// worker's read of the responses shows the sensitive answers withheld; another household's questions are the
/// not-found page. axe-core and 320 px reflow on each page.
/// </summary>
[Collection(WorkspaceCollection.Name)]
public sealed class MinSideAnswerPagesTests(WorkspaceSystem system)
{
    [Fact]
    public async Task A_parent_answers_a_questionnaire_on_a_phone_sized_viewport_told_first_who_sees_what()
    {
        var family = await ActiveFamily("Familien Svar");
        await using var phone = await system.NewPerson();
        var (page, refused) = await Browser.Open(phone);
        await page.SetViewportSizeAsync(375, 667);
        await SignIn(page, family.ParentNumber);

        await page.GotoAsync($"/min-side/saker/{family.CaseId}");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Familien Svar", new() { Timeout = 60_000 });
        await page.GetByRole(AriaRole.Link, new() { Name = "Spørsmål dere kan svare på" }).ClickAsync();
        await page.WaitForURLAsync($"**/min-side/saker/{family.CaseId}/sporsmal");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Spørsmål til dere", new() { Timeout = 60_000 });
        // Outcomes schedules the baseline from the activation's event: on a busy machine, load the list again.
        for (var i = 0; i < 20 && !(await page.Locator("main").TextContentAsync() ?? "").Contains("Kartlegging ved start", StringComparison.Ordinal); i++)
        {
            await Task.Delay(1_000);
            await page.ReloadAsync();
        }
        await Expect(page.Locator("main")).ToContainTextAsync("Per (deg): ikke svart ennå");
        await Expect(page.Locator("main")).ToContainTextAsync("Cecilie (barnet ditt): ikke svart ennå");
        await page.ShouldBeAccessible();
        await page.ShouldReflowAt320();
        await page.Screenshot("min-side-sporsmal");

        await page.GetByRole(AriaRole.Link, new() { Name = "Svar på spørsmålene (kartlegging ved start)" }).ClickAsync();
        await page.WaitForURLAsync($"**/min-side/saker/{family.CaseId}/sporsmal/*");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Kartlegging ved start", new() { Timeout = 60_000 });
        var notice = page.Locator("#who-sees-what");
        await Expect(notice).ToContainTextAsync("Hvem ser svarene dine?");
        await Expect(notice).ToContainTextAsync("heller ikke de som bestemmer om dere får penger");
        await Expect(notice).ToContainTextAsync("Krysser du ikke av, får ingen beskjed.");
        await Expect(page.Locator("#question-neg-shame")).ToContainTextAsync("Vises ikke til de ansatte");
        await Expect(page.Locator("#question-life-satisfaction")).Not.ToContainTextAsync("Vises ikke til de ansatte");
        // The notice and the choice come before the send button, in the order a screen reader and the keyboard meet them.
        (await page.EvaluateAsync<bool>("""
            () => {
              const notice = document.querySelector('#who-sees-what');
              const send = notice.closest('form').querySelector('button[type=submit]');
              return send.textContent.trim() === 'Send svarene' && !!(notice.compareDocumentPosition(send) & Node.DOCUMENT_POSITION_FOLLOWING);
            }
            """)).ShouldBeTrue();
        await page.ShouldBeAccessible();
        await page.ShouldReflowAt320();
        await page.Screenshot("min-side-sporreskjema");

        // Two to answer for and none chosen: refused beside the choice.
        await page.Locator("#answer-life-satisfaction-7").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send svarene" }).ClickAsync();
        await Expect(page.Locator("#personId-error")).ToHaveTextAsync("Velg hvem du svarer for.", new() { Timeout = 60_000 });
        await Expect(page.Locator(".ds-error-summary")).ToContainTextAsync("Svarene ble ikke sendt");
        (await page.Locator($"#person-{family.Parent}").GetAttributeAsync("aria-invalid")).ShouldBe("true");
        await page.ShouldBeAccessible();

        await page.Locator($"#person-{family.Parent}").CheckAsync();
        await page.Locator("#answer-life-satisfaction-7").CheckAsync();
        await page.Locator("#answer-neg-shame-8").CheckAsync();
        await page.Locator("#answer-neg-shame-comment").FillAsync("Vi skammer oss litt overfor naboene.");
        await page.GetByLabel("Del med stafettholderen").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send svarene" }).ClickAsync();
        await page.WaitForURLAsync($"**/min-side/saker/{family.CaseId}/sporsmal");
        await Expect(page.Locator("main")).ToContainTextAsync("Per (deg): svart", new() { Timeout = 60_000 });
        await Expect(page.Locator("main")).ToContainTextAsync("Cecilie (barnet ditt): ikke svart ennå");
        await page.ShouldBeAccessible();

        // The worker sees the answer was the parent's own, and that its sensitive part is withheld.
        using var kari = await system.ApiAs("Kari Nordmann", "oppvekst", "caseworker");
        var responses = await kari.GetFromJsonAsync<JsonElement>($"/api/outcomes/cases/{family.CaseId}/responses");
        var own = responses.EnumerateArray().Single(r => r.GetProperty("personId").GetGuid() == family.Parent);
        own.GetProperty("respondentKind").GetString().ShouldBe("self");
        own.GetProperty("sharedWithLead").GetBoolean().ShouldBeTrue();
        own.GetProperty("answers").EnumerateArray().Select(a => a.GetProperty("itemId").GetString()).ShouldBe(["life-satisfaction"]);
        own.GetProperty("withheld").GetProperty("domains").EnumerateArray().Select(d => d.GetString()).ShouldContain("shame");

        // Another household's questions, and a measurement that is not the case's: the not-found page.
        var hidden = await page.GotoAsync($"/min-side/saker/{family.Elsewhere}/sporsmal");
        hidden!.Status.ShouldBe(404);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Saken finnes ikke");
        (await page.GotoAsync($"/min-side/saker/{family.CaseId}/sporsmal/{Guid.CreateVersion7()}"))!.Status.ShouldBe(404);
        await page.ShouldBeAccessible();
        refused.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_parent_answers_for_the_child_with_the_keyboard_alone()
    {
        var family = await ActiveFamily("Familien Tastatur");
        await using var phone = await system.NewPerson();
        var (page, refused) = await Browser.Open(phone);
        await page.SetViewportSizeAsync(375, 667);
        await SignIn(page, family.ParentNumber);
        await page.GotoAsync($"/min-side/saker/{family.CaseId}/sporsmal");
        for (var i = 0; i < 20 && !(await page.Locator("main").TextContentAsync() ?? "").Contains("Kartlegging ved start", StringComparison.Ordinal); i++)
        {
            await Task.Delay(1_000);
            await page.ReloadAsync();
        }

        await KeyboardSteps.Follow(page, "Svar på spørsmålene (kartlegging ved start)", $"/min-side/saker/{family.CaseId}/sporsmal/*", "#who-sees-what");
        await KeyboardSteps.TabTo(page, $"person-{family.Parent}");
        await page.Keyboard.PressAsync("ArrowDown");
        (await KeyboardSteps.Focused(page, "id")).ShouldBe($"person-{family.Child}");
        (await page.Locator($"#person-{family.Child}").IsCheckedAsync()).ShouldBeTrue("arrow keys in a radio group move and choose");
        await KeyboardSteps.TabTo(page, "answer-life-satisfaction-0");
        for (var i = 0; i < 6; i++)
        {
            await page.Keyboard.PressAsync("ArrowRight");
        }
        (await KeyboardSteps.Focused(page, "id")).ShouldBe("answer-life-satisfaction-6");
        await KeyboardSteps.TabTo(page, "share");
        (await page.Locator("#share").IsCheckedAsync()).ShouldBeFalse("sharing is the person's choice, never the default");
        await KeyboardSteps.TabToText(page, "Send svarene");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"**/min-side/saker/{family.CaseId}/sporsmal");
        await Expect(page.Locator("main")).ToContainTextAsync("Cecilie (barnet ditt): svart", new() { Timeout = 60_000 });
        await page.ShouldBeAccessible();
        await page.ShouldReflowAt320();

        using var kari = await system.ApiAs("Kari Nordmann", "oppvekst", "caseworker");
        var responses = await kari.GetFromJsonAsync<JsonElement>($"/api/outcomes/cases/{family.CaseId}/responses");
        var child = responses.EnumerateArray().Single(r => r.GetProperty("personId").GetGuid() == family.Child);
        (child.GetProperty("respondentKind").GetString(), child.GetProperty("sharedWithLead").GetBoolean()).ShouldBe(("guardian", false));
        child.GetProperty("answers").EnumerateArray().Select(a => (a.GetProperty("itemId").GetString(), a.GetProperty("value").GetInt32()))
            .ShouldBe([("life-satisfaction", 6)]);
        refused.ShouldBeEmpty();
    }

    private sealed record Family(Guid CaseId, Guid Elsewhere, Guid Parent, Guid Child, string ParentNumber);

    /// <summary>A parent and a child of 14, both consenting, the case active (so outcomes schedules its baseline), and another household's case.</summary>
    private async Task<Family> ActiveFamily(string household)
    {
        var parentNumber = IdentityNumbers.Adult();
        using var kari = await system.ApiAs("Kari Nordmann", "oppvekst", "caseworker");
        var caseId = await CaseClient.Open(kari, household);
        var parent = (await CaseClient.AddMember(kari, caseId, $"Per {household.Split(' ')[1]}", "parent", identityNumber: parentNumber)).GetProperty("personId").GetGuid();
        var child = (await CaseClient.AddMember(kari, caseId, $"Cecilie {household.Split(' ')[1]}", "child", identityNumber: IdentityNumbers.Child(14), guardians: [parent]))
            .GetProperty("personId").GetGuid();
        await CaseClient.Consent(kari, caseId, parent);
        await CaseClient.Consent(kari, caseId, child, parent);
        (await CaseClient.Move(kari, caseId, "intake")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CaseClient.Move(kari, caseId, "active", "Samtykke er gitt.")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var elsewhere = await CaseClient.Open(kari, "Familien Annensted");
        return new Family(caseId, elsewhere, parent, child, parentNumber);
    }

    private static async Task SignIn(IPage page, string number)
    {
        await page.GotoAsync("/min-side");
        await page.WaitForURLAsync(url => url.Contains("/signin", StringComparison.Ordinal));
        await page.GetByLabel("Fødselsnummer (11 siffer)").FillAsync(number);
        await page.GetByRole(AriaRole.Button, new() { Name = "Logg inn som innbygger" }).ClickAsync();
        await page.WaitForURLAsync("**/min-side");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Mine saker");
    }
}
