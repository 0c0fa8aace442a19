using Microsoft.Playwright;
using Samskaping.IntegrationTests.Cases;
using Shouldly;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Samskaping.IntegrationTests.Workspace;

/// <summary>
/// A coordinator's whole journey through the workspace against the real system, in the order the work goes: sign in
/// through the identity provider, open a case, record consent, a second sector joins, the relay log in each
/// confidentiality class read from the other sector, a measure with a review date, a grant above the threshold approved
/// by a second person at another desk, a questionnaire with the family, and the timeline that tells it all. Then the
/// main part of it again with the keyboard alone. Every page visited passes axe-core and loads nothing its
/// Content-Security-Policy refuses.
/// </summary>
[Collection(WorkspaceCollection.Name)]
public sealed class CoordinatorJourneyTests(WorkspaceSystem system)
{
    private const string Ordinary = "Møte med mor og Sara. Neste møte 4. mars.";
    private const string Secrecy = "Helsesykepleier er bekymret for søvnen til Sara.";
    private const string Restricted = "Mor ba om at bare stafettholderen vet om gjelden.";
    private const string Health = "Mor fortalte om angst og søvnvansker.";

    // Eva's consent: both sectors, for the work, the money and the measurements, about needs, family and economy;
    // not about her health, so helse-velferd sees that a health entry exists but not its text.
    private static readonly string[] BothSectors = ["oppvekst", "helse-velferd"];
    private static readonly string[] WorkMoneyAndMeasurements = ["coordination", "grants", "outcome-measurement"];
    private static readonly string[] NeedsFamilyAndEconomy = ["needs", "family", "economy"];

    // What the timeline tells, newest first. The relay log is not on it: coordination publishes no event for an entry,
    // since a reader its class leaves out must not see that it exists; that step is checked on the relay log itself.
    private static readonly string[] Story =
    [
        "Noen i familien svarte på en måling.",
        "Et tilskudd ble innvilget.",
        "Det ble søkt om tilskudd.",
        "Et tiltak ble avtalt.",
        "En sektor ble med i saken.",
        "Saken fikk ny status.",
        "Et samtykke ble gitt.",
        "En person ble lagt til i husstanden.",
        "Saken ble åpnet.",
    ];

    // The keyboard journey's consent, box by box: oppvekst, for the work and the money, about needs and economy.
    private static readonly string[] ConsentBoxes =
        ["consent-sectors-oppvekst", "consent-purposes-coordination", "consent-purposes-grants", "consent-categories-needs", "consent-categories-economy"];

    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_coordinators_whole_journey_runs_through_the_workspace_and_the_timeline_shows_it_all()
    {
        const string household = "Familien Vik";
        var purpose = $"Fotballsko og treningsavgift for høsten ({_run}).";
        var fundId = await system.CreateFundThroughTheApi($"Fritid for alle {household} {_run}");
        await using var kari = await system.NewPerson();
        var (page, refused) = await Browser.Open(kari);

        // Kari signs in through the development identity provider and lands on her work.
        await page.GotoAsync("/");
        await page.ShouldBeAccessible();
        await Browser.ChoosePerson(page, "Kari Nordmann");
        await page.WaitForURLAsync(system.Root.ToString());
        await Expect(page.Locator("h1")).ToHaveTextAsync("Mitt arbeid");
        await page.ShouldBeAccessible();

        await JourneySteps.Follow(page, "Åpne en sak", "/saker/ny", "#need-text");
        var caseId = await page.OpenCase(household, "Vi vil at Sara skal kunne spille fotball igjen.");
        await Expect(page.Locator("h1")).ToHaveTextAsync(household);
        await page.ShouldBeAccessible();

        await JourneySteps.Follow(page, "Husstand og samtykker", $"/saker/{caseId}/samtykker", "#member-name");
        await JourneySteps.AddMember(page, "Eva Vik", "Foresatt", "1986-05-14");
        await JourneySteps.GiveConsent(page, "Eva Vik", "Eva Vik", BothSectors, purposes: WorkMoneyAndMeasurements, categories: NeedsFamilyAndEconomy);
        await Expect(page.Locator("section[aria-labelledby=consents]")).ToContainTextAsync("Helse og velferd");
        await page.ShouldBeAccessible();

        // The one step no page takes: the case moves to intake and active through the API as Kari.
        await system.ActivateThroughTheApi(caseId);

        await JourneySteps.JoinSector(page, caseId, "Helse og velferd");
        await page.ShouldBeAccessible();

        await JourneySteps.Follow(page, "Stafettlogg", $"/saker/{caseId}/stafettlogg", "#entry-text");
        await JourneySteps.WriteRelayEntry(page, "Møte", "Vanlig", null, Ordinary);
        await JourneySteps.WriteRelayEntry(page, "Notat", "Taushetsbelagt", null, Secrecy);
        await JourneySteps.WriteRelayEntry(page, "Beslutning", "Begrenset", null, Restricted);
        await JourneySteps.WriteRelayEntry(page, "Møte", "Vanlig", "health", Health);
        (await page.Locator("section[aria-labelledby=entries] li").CountAsync()).ShouldBe(4);
        await page.ShouldBeAccessible();

        // Hanne in helse-velferd, at her own desk: the ordinary entries only, the health one without its text.
        await using var hanne = await system.NewPerson();
        var (hannesPage, hannesRefused) = await Browser.Open(hanne);
        await JourneySteps.SignIn(hannesPage, $"/saker/{caseId}/stafettlogg", "Hanne Hagen");
        (await JourneySteps.GotoUntil(hannesPage, $"/saker/{caseId}/stafettlogg", 200)).Status.ShouldBe(200);
        await Expect(hannesPage.Locator("h1")).ToHaveTextAsync(household);
        var hannesEntries = await hannesPage.Locator("section[aria-labelledby=entries] li").AllInnerTextsAsync();
        hannesEntries.Count.ShouldBe(2);
        hannesEntries[0].ShouldContain("Innholdet er skjermet for din sektor.");
        hannesEntries[1].ShouldContain(Ordinary);
        var hannesView = await hannesPage.Locator("main").InnerTextAsync();
        hannesView.ShouldNotContain(Health);
        hannesView.ShouldNotContain(Secrecy);
        hannesView.ShouldNotContain(Restricted);
        await hannesPage.ShouldBeAccessible();

        await JourneySteps.Follow(page, "Plan og tiltak", $"/saker/{caseId}/plan", "#measure-title");
        await JourneySteps.AgreeMeasure(page, "Sara begynner på fotballtrening", DateOnly.FromDateTime(DateTime.UtcNow).AddDays(14));
        await page.ShouldBeAccessible();

        // 4 500 kr is above the fund's 3 000 kr: Kari asked, so someone else must approve.
        await JourneySteps.Follow(page, "Tilskudd", $"/saker/{caseId}/tilskudd", "#grant-amount");
        await JourneySteps.FillGrantRequest(page, fundId, "4500", purpose, household);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send søknaden" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = purpose })).ToBeVisibleAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Du søkte selv, så en annen godkjenner må godkjenne.");
        await page.ShouldBeAccessible();

        await using var ola = await system.NewPerson();
        var (olasPage, olasRefused) = await Browser.Open(ola);
        await JourneySteps.ApproveAsSecondApprover(olasPage, caseId, purpose, "Innvilg 4 500,00 kr");
        await page.ReloadAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("godkjent av to");
        await page.ShouldBeAccessible();

        // The outcomes service schedules the baseline when it hears the case is active: the page is asked again until then.
        await JourneySteps.Follow(page, "Målinger", $"/saker/{caseId}/malinger", "section[aria-labelledby=schedule]");
        await JourneySteps.GotoMeasurementsUntilTheBaselineIsDue(page, caseId);
        await page.ShouldBeAccessible();
        await JourneySteps.OpenTheBaselineQuestionnaire(page, caseId);
        await JourneySteps.AnswerTheQuestionnaireWithTheKeyboard(page, caseId);
        await Expect(page.Locator("main")).ToContainTextAsync("Eva Vik: Kartlegging ved start");
        await page.ShouldBeAccessible();

        await JourneySteps.Follow(page, "Tidslinje", $"/saker/{caseId}/tidslinje", "section[aria-labelledby=timeline]");
        await JourneySteps.TimelineShouldTell(page, Story);
        await Expect(page.Locator("h1")).ToHaveTextAsync(household);
        await page.ShouldReflowAt320();

        refused.ShouldBeEmpty();
        hannesRefused.ShouldBeEmpty();
        olasRefused.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_main_journey_works_with_the_keyboard_alone()
    {
        const string household = "Familien Tast";
        var purpose = $"Svømmekurs for Sara ({_run}).";
        var fundId = await system.CreateFundThroughTheApi($"Fritid for alle {household} {_run}");
        await using var kari = await system.NewPerson();
        var (page, refused) = await Browser.Open(kari);
        var keys = page.Keyboard;

        await page.GotoAsync("/");
        await KeyboardSteps.SignIn(page, "Kari Nordmann");
        await page.WaitForURLAsync(system.Root.ToString());
        await Expect(page.Locator("h1")).ToHaveTextAsync("Mitt arbeid");
        await page.ShouldBeAccessible();

        // Open a case: the menu, then the need, the household, and back (Shift+Tab) to who said it.
        await KeyboardSteps.Follow(page, "Åpne en sak", "/saker/ny", "#need-text");
        await KeyboardSteps.TabTo(page, "need-text");
        await keys.TypeAsync("Vi vil at Sara skal lære å svømme.");
        await KeyboardSteps.TabTo(page, "household-name");
        await keys.TypeAsync(household);
        await KeyboardSteps.TabTo(page, "need-said-by", backwards: true);
        await keys.TypeAsync("Mor");
        await KeyboardSteps.TabToText(page, "Åpne saken");
        await keys.PressAsync("Enter");
        await page.WaitForURLAsync(Browser.CasePath());
        var caseId = page.CaseId();
        await Expect(page.Locator("h1")).ToHaveTextAsync(household);
        await Expect(page.Locator("main")).ToContainTextAsync("«Vi vil at Sara skal lære å svømme.»");

        // The first stop is the skip link, shown when it has the focus; it takes the focus past the menu into the content.
        await keys.PressAsync("Tab");
        (await KeyboardSteps.FocusedText(page, "A")).ShouldBe("Hopp til innholdet");
        (await page.EvaluateAsync<double>("() => document.activeElement.getBoundingClientRect().width")).ShouldBeGreaterThan(10);
        await keys.PressAsync("Enter");
        await keys.PressAsync("Tab");
        (await KeyboardSteps.FocusIsInMain(page)).ShouldBeTrue("the skip link takes the focus past the menu");
        page.Url.ShouldEndWith($"/saker/{caseId}#innhold");
        await page.ShouldBeAccessible();

        // The household: a person with her identity number (then no birth date is needed), her role from the list.
        await KeyboardSteps.Follow(page, "Husstand og samtykker", $"/saker/{caseId}/samtykker", "#member-name");
        await KeyboardSteps.TabTo(page, "member-name");
        await keys.TypeAsync("Eva Tast");
        await KeyboardSteps.TabTo(page, "member-role");
        await KeyboardSteps.ChooseWithArrows(page, "guardian");
        await KeyboardSteps.TabTo(page, "member-identity-number");
        await keys.TypeAsync(IdentityNumbers.Adult());
        await KeyboardSteps.TabToText(page, "Legg til i husstanden");
        await keys.PressAsync("Enter");
        await Expect(page.Locator("section[aria-labelledby=members]")).ToContainTextAsync("Eva Tast");

        // Her consent: the lists by arrow keys, the boxes by Space.
        var eva = (await page.Locator("#consent-person option", new() { HasTextString = "Eva Tast" }).GetAttributeAsync("value"))!;
        await KeyboardSteps.TabTo(page, "consent-person");
        await KeyboardSteps.ChooseWithArrows(page, eva);
        await keys.PressAsync("Tab");
        await KeyboardSteps.ChooseWithArrows(page, eva);
        foreach (var box in ConsentBoxes)
        {
            await KeyboardSteps.TabTo(page, box);
            await keys.PressAsync("Space");
            (await page.Locator($"#{box}").IsCheckedAsync()).ShouldBeTrue(box);
        }
        await KeyboardSteps.TabToText(page, "Registrer samtykket");
        await keys.PressAsync("Enter");
        await Expect(page.Locator("section[aria-labelledby=consents]")).ToContainTextAsync("Gyldig");
        await page.ShouldBeAccessible();

        // The one step no page takes: the case moves to intake and active through the API as Kari.
        await system.ActivateThroughTheApi(caseId);

        // A relay entry: the type by arrow keys in its radio group (they move and choose), the class by Space.
        await KeyboardSteps.Follow(page, "Stafettlogg", $"/saker/{caseId}/stafettlogg", "#entry-text");
        await KeyboardSteps.TabTo(page, "type-meeting");
        await keys.PressAsync("ArrowDown");
        (await KeyboardSteps.Focused(page, "id")).ShouldBe("type-decision");
        (await page.Locator("#type-decision").IsCheckedAsync()).ShouldBeTrue();
        await KeyboardSteps.TabTo(page, "confidentiality-ordinary");
        await keys.PressAsync("Space");
        (await page.Locator("#confidentiality-ordinary").IsCheckedAsync()).ShouldBeTrue();
        await KeyboardSteps.TabTo(page, "entry-text");
        await keys.TypeAsync("Vi ble enige om svømmekurs på lørdager.");
        await KeyboardSteps.TabToText(page, "Lagre i stafettloggen");
        await keys.PressAsync("Enter");
        await Expect(page.Locator("section[aria-labelledby=entries]")).ToContainTextAsync("Vi ble enige om svømmekurs på lørdager.");
        await page.ShouldBeAccessible();

        // A measure, its review date typed part by part.
        var review = KeyboardSteps.DayLikeItsMonthAfter(DateOnly.FromDateTime(DateTime.UtcNow));
        await KeyboardSteps.Follow(page, "Plan og tiltak", $"/saker/{caseId}/plan", "#measure-title");

        // Sent empty, it is refused: the error summary's link takes the focus to the field it names, on this page.
        await KeyboardSteps.TabToText(page, "Avtal tiltaket");
        await keys.PressAsync("Enter");
        await Expect(page.Locator("#measure-title-error")).ToHaveTextAsync("Fyll ut dette feltet.");
        await KeyboardSteps.TabToText(page, "Fyll ut dette feltet.");
        var named = (await KeyboardSteps.Focused(page, "hash")).TrimStart('#');
        await keys.PressAsync("Enter");
        (await KeyboardSteps.Focused(page, "id")).ShouldBe(named);
        page.Url.ShouldEndWith($"/saker/{caseId}/plan#{named}");
        await page.ShouldBeAccessible();

        await KeyboardSteps.TabTo(page, "measure-title", backwards: named != "measure-title");
        await keys.TypeAsync("Sara begynner på svømmekurs");
        await KeyboardSteps.TabTo(page, "measure-review");
        await KeyboardSteps.TypeDate(page, review);
        await KeyboardSteps.TabToText(page, "Avtal tiltaket");
        await keys.PressAsync("Enter");
        await Expect(page.Locator("main")).ToContainTextAsync("Sara begynner på svømmekurs");
        await Expect(page.Locator("main")).ToContainTextAsync($"Neste evaluering: {review.ToString("d. MMMM yyyy", JourneySteps.Norwegian)}");
        await page.ShouldBeAccessible();

        // A grant request: the fund from the list by arrow keys, then the amount, the purpose and the payee.
        await KeyboardSteps.Follow(page, "Tilskudd", $"/saker/{caseId}/tilskudd", "#grant-amount");
        await KeyboardSteps.TabTo(page, "grant-fund");
        await KeyboardSteps.ChooseWithArrows(page, fundId.ToString());
        await KeyboardSteps.TabTo(page, "grant-amount");
        await keys.TypeAsync("4500");
        await KeyboardSteps.TabTo(page, "grant-purpose");
        await keys.TypeAsync(purpose);
        await KeyboardSteps.TabTo(page, "payee-name");
        await keys.TypeAsync(household);
        await KeyboardSteps.TabTo(page, "payee-account");
        await keys.TypeAsync("8601 11 17947");
        await KeyboardSteps.TabToText(page, "Send søknaden");
        await keys.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = purpose })).ToBeVisibleAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Du søkte selv, så en annen godkjenner må godkjenne.");
        await page.ShouldBeAccessible();

        refused.ShouldBeEmpty();
    }
}
