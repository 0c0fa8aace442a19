using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace Samskaping.IntegrationTests.Workspace;

/// <summary>
/// The steps of a coordinator's work as the page tests and the whole journey take them, one way each: through the
/// workspace's forms and links, except where no page does it (those go through the API as the person, and say so).
/// </summary>
internal static class JourneySteps
{
    public static readonly CultureInfo Norwegian = CultureInfo.GetCultureInfo("nb-NO");

    private static readonly string[] Coordination = ["coordination"];
    private static readonly string[] Needs = ["needs"];

    /// <summary>Opens <paramref name="path"/> signed out, chooses the person on the provider's page and comes back there.</summary>
    public static async Task SignIn(IPage page, string path, string person)
    {
        await page.GotoAsync(path);
        await Browser.ChoosePerson(page, person);
        await page.WaitForURLAsync($"**{path}");
    }

    /// <summary>
    /// Follows the link to a page and waits for what only that page shows (<paramref name="ready"/>): enhanced
    /// navigation changes the address before the new page is in place. Then axe-core checks the page.
    /// </summary>
    public static async Task Follow(IPage page, string link, string path, string ready)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync();
        await page.WaitForURLAsync($"**{path}");
        await Expect(page.Locator(ready).First).ToBeVisibleAsync();
        await page.ShouldBeAccessible();
    }

    /// <summary>Services learn of each other's changes by events: the page is asked again until it answers <paramref name="status"/>.</summary>
    public static async Task<IResponse> GotoUntil(IPage page, string path, int status)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = (await page.GotoAsync(path))!;
            if (response.Status == status || attempt == 60)
            {
                return response;
            }
            await Task.Delay(500);
        }
    }

    /// <summary>On "Husstand og samtykker": adds a person to the household and waits until the page lists them.</summary>
    public static async Task AddMember(IPage page, string name, string role, string birthDate)
    {
        await page.GetByLabel("Navn", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Rolle i husstanden").SelectOptionAsync(new SelectOptionValue { Label = role });
        await page.GetByLabel("Fødselsdato").FillAsync(birthDate);
        await page.GetByRole(AriaRole.Button, new() { Name = "Legg til i husstanden" }).ClickAsync();
        await Expect(page.Locator("section[aria-labelledby=members]")).ToContainTextAsync(name);
    }

    /// <summary>
    /// On "Husstand og samtykker": records a consent for the sectors, purposes (coordination unless named) and kinds of
    /// data (needs unless named), and unless it is expected to be refused, waits until the page lists one more.
    /// </summary>
    public static async Task GiveConsent(IPage page, string person, string givenBy, string[] sectors, bool expectGiven = true,
        string[]? purposes = null, string[]? categories = null)
    {
        var before = await page.Locator("section[aria-labelledby=consents] li").CountAsync();
        await page.Locator("#consent-person").SelectOptionAsync(new SelectOptionValue { Label = person });
        await page.Locator("#consent-given-by").SelectOptionAsync(new SelectOptionValue { Label = givenBy });
        foreach (var sector in sectors)
        {
            await page.Locator($"#consent-sectors-{sector}").CheckAsync();
        }
        foreach (var purpose in purposes ?? Coordination)
        {
            await page.Locator($"#consent-purposes-{purpose}").CheckAsync();
        }
        foreach (var category in categories ?? Needs)
        {
            await page.Locator($"#consent-categories-{category}").CheckAsync();
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrer samtykket" }).ClickAsync();
        if (expectGiven)
        {
            await Expect(page.Locator("section[aria-labelledby=consents] li")).ToHaveCountAsync(before + 1);
        }
    }

    /// <summary>Adds the sector on "Samarbeid og stafett". Coordination learns of a consent from the cases service's
    /// event, so the first tries may be refused with the consent message, shown beside the field.</summary>
    public static async Task JoinSector(IPage page, Guid caseId, string sector)
    {
        var joined = page.Locator("section[aria-labelledby=group] li", new() { HasTextString = sector });
        var error = page.Locator("#join-sector-error");
        for (var attempt = 0; attempt < 60; attempt++)
        {
            await page.GotoAsync($"/saker/{caseId}/samarbeid");
            if (await page.GetByLabel("Sektor", new() { Exact = true }).CountAsync() > 0)
            {
                await page.GetByLabel("Sektor", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = sector });
                await page.GetByRole(AriaRole.Button, new() { Name = "Legg til sektoren" }).ClickAsync();
                await joined.Or(error).First.WaitForAsync();
                if (await joined.CountAsync() > 0)
                {
                    return;
                }
                await Expect(error).ToContainTextAsync("Samtykket i saken gjelder ikke denne sektoren");
            }
            await Task.Delay(500);
        }
        await Expect(joined).ToHaveCountAsync(1);
    }

    /// <summary>On "Stafettlogg": writes an entry through the form and waits until the page shows it.</summary>
    public static async Task WriteRelayEntry(IPage page, string type, string confidentiality, string? category, string text)
    {
        await page.GetByLabel(type, new() { Exact = true }).CheckAsync();
        await page.GetByLabel(confidentiality, new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Handler den om noe av dette? (valgfritt)").SelectOptionAsync(category ?? "");
        await page.GetByLabel("Tekst", new() { Exact = true }).FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Lagre i stafettloggen" }).ClickAsync();
        await Expect(page.Locator("section[aria-labelledby=entries]")).ToContainTextAsync(text);
        await Expect(page.Locator("#entry-text")).ToHaveValueAsync("");
    }

    /// <summary>On "Plan og tiltak": agrees a measure with its review date and waits until the plan shows both.</summary>
    public static async Task AgreeMeasure(IPage page, string title, DateOnly review)
    {
        await page.GetByLabel("Hva skal gjøres?").FillAsync(title);
        await page.GetByLabel("Når skal dere evaluere tiltaket?").FillAsync(review.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Avtal tiltaket" }).ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync(title);
        await Expect(page.Locator("main")).ToContainTextAsync($"Neste evaluering: {review.ToString("d. MMMM yyyy", Norwegian)}");
    }

    /// <summary>On "Tilskudd": fills in the request for the family as payee, without sending it.</summary>
    public static async Task FillGrantRequest(IPage page, Guid fundId, string amount, string purpose, string payee)
    {
        await page.GetByLabel("Fond").SelectOptionAsync(fundId.ToString());
        await page.GetByLabel("Beløp i kroner").FillAsync(amount);
        await page.GetByLabel("Hva pengene skal brukes til, med familiens egne ord").FillAsync(purpose);
        await page.GetByLabel("Navn på mottakeren").FillAsync(payee);
        await page.GetByLabel("Kontonummer").FillAsync("8601 11 17947");
    }

    /// <summary>
    /// Ola, a grant-approver at another desk (his own browser context), finds the grant waiting for a second approver,
    /// opens it from "Til godkjenning", decides it seeing the household's benefits, and sees it approved by two.
    /// </summary>
    public static async Task ApproveAsSecondApprover(IPage ola, Guid caseId, string purpose, string approveButton)
    {
        await ola.GotoAsync("/godkjenning");
        await Browser.ChoosePerson(ola, "Ola Dahl");
        await ola.WaitForURLAsync("**/godkjenning");
        await Expect(ola.Locator("h1")).ToHaveTextAsync("Til godkjenning");
        await ola.ShouldBeAccessible();
        await ola.GetByRole(AriaRole.Link, new() { Name = purpose }).ClickAsync();
        await ola.WaitForURLAsync($"**/saker/{caseId}/tilskudd*");
        await Expect(ola.Locator("main")).ToContainTextAsync("Ytelser husstanden har nå");
        await Expect(ola.Locator("main")).ToContainTextAsync("en godkjenner som ikke søkte selv, må godkjenne");
        await ola.ShouldBeAccessible();
        await ola.GetByRole(AriaRole.Button, new() { Name = approveButton }).ClickAsync();
        await Expect(ola.Locator("main")).ToContainTextAsync("Innvilget");
        await Expect(ola.Locator("main")).ToContainTextAsync("godkjent av to");
        await ola.ShouldBeAccessible();
    }

    /// <summary>"Målinger", asked again until the baseline the outcomes service schedules at activation can be filled in.</summary>
    public static async Task GotoMeasurementsUntilTheBaselineIsDue(IPage page, Guid caseId)
    {
        var fillIn = page.GetByRole(AriaRole.Link, new() { Name = "Fyll ut sammen med familien (Kartlegging ved start)" });
        for (var attempt = 0; attempt < 60; attempt++)
        {
            await page.GotoAsync($"/saker/{caseId}/malinger");
            if (await fillIn.CountAsync() > 0)
            {
                break;
            }
            await Task.Delay(500);
        }
        await Expect(fillIn).ToBeVisibleAsync();
    }

    /// <summary>From "Målinger": opens the baseline questionnaire.</summary>
    public static async Task OpenTheBaselineQuestionnaire(IPage page, Guid caseId)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Fyll ut sammen med familien (Kartlegging ved start)" }).ClickAsync();
        await page.WaitForURLAsync($"**/saker/{caseId}/malinger/*");
        await Expect(page.Locator("legend").First).ToContainTextAsync("Hvem fyller ut?");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "1. Alt i alt, hvor fornøyd eller misfornøyd er du med livet ditt for tiden?" })).ToBeVisibleAsync();
        await page.ShouldBeAccessible();
    }

    /// <summary>
    /// On the questionnaire, with the keyboard alone, together with the first person waiting: to the person, past who
    /// fills in (already "you with the person"), life satisfaction 7 and economy 3 by arrow keys, the rest skipped, then
    /// sent; the page goes back to "Målinger".
    /// </summary>
    public static async Task AnswerTheQuestionnaireWithTheKeyboard(IPage page, Guid caseId)
    {
        await KeyboardSteps.TabTo(page, "person");
        (await KeyboardSteps.Focused(page, "value")).ShouldNotBeEmpty();
        await page.Keyboard.PressAsync("Tab");
        (await KeyboardSteps.Focused(page, "id")).ShouldBe("respondent-worker-with-person");
        await page.Keyboard.PressAsync("Tab");
        (await KeyboardSteps.Focused(page, "id")).ShouldBe("answer-life-satisfaction-0");
        for (var i = 0; i < 7; i++)
        {
            await page.Keyboard.PressAsync("ArrowRight");
        }
        await page.Keyboard.PressAsync("Tab");
        (await KeyboardSteps.Focused(page, "id")).ShouldBe("answer-satisfaction-economy-0");
        for (var i = 0; i < 3; i++)
        {
            await page.Keyboard.PressAsync("ArrowRight");
        }
        (await page.Locator("#answer-life-satisfaction-7").IsCheckedAsync()).ShouldBeTrue();
        (await page.Locator("#answer-satisfaction-economy-3").IsCheckedAsync()).ShouldBeTrue();
        await KeyboardSteps.TabToText(page, "Lagre svarene");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"**/saker/{caseId}/malinger");
    }

    /// <summary>
    /// On "Tidslinje": asked again until every sentence of <paramref name="story"/> (newest first) is there, in that
    /// order, in bokmål: events of other services arrive through the broker.
    /// </summary>
    public static async Task<IReadOnlyList<string>> TimelineShouldTell(IPage page, params string[] story)
    {
        var events = await Eventually.Get(async () =>
        {
            await page.ReloadAsync();
            return await page.Locator("section[aria-labelledby=timeline] li").AllInnerTextsAsync();
        }, e => story.All(s => e.Any(t => t.Contains(s, StringComparison.Ordinal))), within: TimeSpan.FromSeconds(60),
            what: "the timeline to tell: " + string.Join(" ", story));
        var positions = story.Select(s => events.ToList().FindIndex(t => t.Contains(s, StringComparison.Ordinal))).ToList();
        positions.ShouldBe(positions.Order().ToList(), string.Join("\n", events));
        events.ShouldAllBe(e => !e.Contains("The case", StringComparison.Ordinal), "the API's English summaries stay out of the page");
        await page.ShouldBeAccessible();
        return events;
    }

    /// <summary>
    /// Through the API as Kari, since no page of the workspace moves a case's status: intake, then active. Then
    /// coordination and grants have heard of it, and outcomes schedules the baseline measurement.
    /// </summary>
    public static async Task ActivateThroughTheApi(this WorkspaceSystem system, Guid caseId)
    {
        using var kari = await system.ApiAs("Kari Nordmann", "oppvekst", "coordinator");
        foreach (var (to, reason) in new[] { ("intake", "Første samtale avtalt."), ("active", "Samtykke er gitt.") })
        {
            using var moved = await kari.PostAsJsonAsync($"/api/cases/{caseId}/status", new { to, reason });
            moved.StatusCode.ShouldBe(HttpStatusCode.OK, await moved.Content.ReadAsStringAsync());
        }
        await Eventually.True(async () =>
        {
            using var plan = await kari.GetAsync($"/api/coordination/cases/{caseId}/plan");
            using var grants = await kari.GetAsync($"/api/grants/cases/{caseId}");
            return plan.StatusCode == HttpStatusCode.OK && grants.StatusCode == HttpStatusCode.OK;
        }, within: TimeSpan.FromSeconds(60), what: "coordination and grants to know the case");
    }

    /// <summary>
    /// Through the API as Ola (grant-approver in oppvekst), since no page creates a fund ("Fond" tops up and moves money
    /// only): 50 000 kr for this year, a threshold of 3 000 kr above which a second approver decides.
    /// </summary>
    public static async Task<Guid> CreateFundThroughTheApi(this WorkspaceSystem system, string name)
    {
        using var ola = await system.ApiAs("Ola Dahl", "oppvekst", "grant-approver");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/grants/funds")
        {
            Content = JsonContent.Create(new
            {
                name,
                owner = "oppvekst",
                periodStart = new DateOnly(today.Year, 1, 1),
                periodEnd = new DateOnly(today.Year + 1, 1, 1),
                budget = 50000m,
                approvalThreshold = 3000m,
                householdCap = 15000m,
                lowBalanceThreshold = 1000m,
                reportToBenefitSystem = false,
            }),
        };
        create.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var created = await ola.SendAsync(create);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
