using System.Globalization;
using Microsoft.Playwright;
using Samskaping.IntegrationTests.Cases;
using Shouldly;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Samskaping.IntegrationTests.Workspace;

/// <summary>
/// The action plan and the outcome measurements of a case, in a real browser: Kari agrees a measure with a review date,
/// evaluates it and sets the BTI level; a measure without its title and review date is refused beside those fields;
/// a questionnaire that is due is filled in with the keyboard alone and its answers show as scores over time. Another
/// sector that takes no part gets the not-found page. Every page passes axe-core and its Content-Security-Policy.
/// </summary>
[Collection(WorkspaceCollection.Name)]
public sealed class PlanPagesTests(WorkspaceSystem system)
{
    private static readonly CultureInfo Norwegian = CultureInfo.GetCultureInfo("nb-NO");

    [Fact]
    public async Task Kari_agrees_a_measure_evaluates_it_and_sets_the_bti_level()
    {
        await using var kari = await system.NewPerson();
        var (page, refused) = await Browser.Open(kari);
        var caseId = await page.OpenCaseAsKari("Familien Plan", "Vi vil at Sara skal kunne spille fotball igjen.");
        await MakeActive(caseId);

        await page.GotoAsync($"/saker/{caseId}/plan");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Familien Plan");
        await Expect(page.Locator("main")).ToContainTextAsync("Ingen tiltak er avtalt ennå.");
        await page.ShouldBeAccessible();

        // Without a title and a review date the API refuses, and each message stands beside its field.
        await page.GetByRole(AriaRole.Button, new() { Name = "Avtal tiltaket" }).ClickAsync();
        await page.Locator("#measure-title-error").WaitForAsync();
        await Expect(page.Locator("#measure-title-error")).ToHaveTextAsync("Fyll ut dette feltet.");
        await Expect(page.Locator("#measure-review-error")).ToHaveTextAsync("Fyll ut dette feltet.");
        (await page.Locator("#measure-title").GetAttributeAsync("aria-invalid")).ShouldBe("true");
        (await page.Locator("#measure-review").GetAttributeAsync("aria-describedby"))!.ShouldContain("measure-review-error");
        await Expect(page.Locator(".ds-error-summary")).ToContainTextAsync("Tiltaket ble ikke avtalt");
        await page.ShouldBeAccessible();

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var review = today.AddDays(14);
        await JourneySteps.AgreeMeasure(page, "Sara begynner på fotballtrening", review);
        await Expect(page.Locator("main")).ToContainTextAsync("Ansvarlig: Oppvekst.");
        page.Url.ShouldEndWith($"/saker/{caseId}/plan");
        await page.ShouldBeAccessible();

        var next = today.AddDays(30);
        await page.GetByLabel("Det hjalp delvis").CheckAsync();
        await page.GetByLabel("Hva sier familien? (valgfritt)").FillAsync("Sara gleder seg til hver trening.");
        await page.GetByLabel("Neste evaluering").FillAsync(next.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Lagre evalueringen" }).ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Hjalp det? Det hjalp delvis");
        await Expect(page.Locator("main")).ToContainTextAsync("«Sara gleder seg til hver trening.»");
        await Expect(page.Locator("main")).ToContainTextAsync($"Neste evaluering: {next.ToString("d. MMMM yyyy", Norwegian)}");
        await page.ShouldBeAccessible();

        await page.GetByLabel("Nivå 2: Flere tjenester samarbeider").CheckAsync();
        await page.GetByLabel("Hvorfor dette nivået?").FillAsync("Skole og helsestasjon følger opp sammen.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sett nivået" }).ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Nå: Nivå 2: Flere tjenester samarbeider.");
        await Expect(page.Locator("main")).ToContainTextAsync("Begrunnelse: Skole og helsestasjon følger opp sammen.");
        await page.ShouldBeAccessible();

        // What the page showed is what the API holds.
        using var api = await system.ApiAs("Kari Nordmann", "oppvekst", "coordinator");
        var plan = await CaseClient.Read(api, $"/api/coordination/cases/{caseId}/plan");
        var measure = plan.GetProperty("measures").EnumerateArray().ShouldHaveSingleItem();
        measure.GetProperty("evaluations").EnumerateArray().ShouldHaveSingleItem().GetProperty("helped").GetString().ShouldBe("partly");
        plan.GetProperty("btiLevel").GetProperty("level").GetInt32().ShouldBe(2);

        refused.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_questionnaire_that_is_due_is_filled_in_with_the_keyboard_alone_and_shows_as_change_over_time()
    {
        await using var kari = await system.NewPerson();
        var (page, refused) = await Browser.Open(kari);
        var caseId = await page.OpenCaseAsKari("Familien Måling", "Vi vil at Sara skal kunne spille fotball igjen.");
        await MakeActive(caseId);
        using var api = await system.ApiAs("Kari Nordmann", "oppvekst", "coordinator");

        await JourneySteps.GotoMeasurementsUntilTheBaselineIsDue(page, caseId);
        await Expect(page.Locator("main")).ToContainTextAsync("Du trenger ikke sette opp målingene selv.");
        await Expect(page.Locator("main")).ToContainTextAsync("Kartlegging ved start");
        await Expect(page.Locator("main")).ToContainTextAsync("Ingen har svart ennå.");
        await page.ShouldBeAccessible();

        await JourneySteps.OpenTheBaselineQuestionnaire(page, caseId);
        await JourneySteps.AnswerTheQuestionnaireWithTheKeyboard(page, caseId);

        await Expect(page.Locator("main")).ToContainTextAsync("Mona Test: Kartlegging ved start");
        await Expect(page.Locator("main")).ToContainTextAsync("2 spørsmål besvart, noen ble hoppet over");
        var table = page.Locator("table", new() { HasText = "Mona Test: poeng per område ved hver måling" });
        await Expect(table.Locator("tr", new() { HasText = "Fornøyd med livet" }).Locator("td").First).ToHaveTextAsync("7");
        await Expect(table.Locator("tr", new() { HasText = "Økonomi" }).Locator("td").First).ToHaveTextAsync("3");
        await Expect(page.Locator("svg[role=img] title")).ToContainTextAsync("Poeng per område for Mona Test");
        await page.ShouldBeAccessible();

        // The API holds the answers as given: one response with exactly those two values.
        var responses = await CaseClient.Read(api, $"/api/outcomes/cases/{caseId}/responses");
        var answers = responses.EnumerateArray().ShouldHaveSingleItem().GetProperty("answers").EnumerateArray()
            .ToDictionary(a => a.GetProperty("itemId").GetString()!, a => a.GetProperty("value").GetInt32());
        answers.ShouldBe(new Dictionary<string, int> { ["life-satisfaction"] = 7, ["satisfaction-economy"] = 3 });

        refused.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_sector_that_takes_no_part_gets_the_not_found_page_for_the_plan_and_the_measurements()
    {
        using var api = await system.ApiAs("Kari Nordmann", "oppvekst", "coordinator");
        var caseId = await CaseClient.Open(api, "Familien Skjult");
        await using var nils = await system.NewPerson();
        var (page, refused) = await Browser.Open(nils);

        await page.GotoAsync($"/saker/{caseId}/plan");
        await Browser.ChoosePerson(page, "Nils Aas saksbehandler, kultur");
        await page.WaitForURLAsync($"**/saker/{caseId}/plan");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Saken finnes ikke");
        (await page.Locator("main").InnerTextAsync()).ShouldNotContain("Familien Skjult");
        await page.ShouldBeAccessible();
        (await page.GotoAsync($"/saker/{caseId}/plan"))!.Status.ShouldBe(404);
        (await page.GotoAsync($"/saker/{caseId}/malinger"))!.Status.ShouldBe(404);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Saken finnes ikke");
        (await page.GotoAsync($"/saker/{caseId}/malinger/{Guid.NewGuid()}"))!.Status.ShouldBe(404);
        refused.ShouldBeEmpty();
    }

    /// <summary>
    /// Through the API as Kari (the household pages are another part of the workspace): a member of the household and
    /// her consent for oppvekst; then the case is made active, which no page does.
    /// </summary>
    private async Task MakeActive(Guid caseId)
    {
        using var api = await system.ApiAs("Kari Nordmann", "oppvekst", "coordinator");
        var mother = await CaseClient.AddAdult(api, caseId);
        await CaseClient.Consent(api, caseId, mother, null, "oppvekst");
        await system.ActivateThroughTheApi(caseId);
    }
}
