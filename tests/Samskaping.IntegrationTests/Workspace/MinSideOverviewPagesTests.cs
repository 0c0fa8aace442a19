using Microsoft.Playwright;
using Samskaping.IntegrationTests.Cases;
using Samskaping.IntegrationTests.Citizens;
using Samskaping.IntegrationTests.Security.Matrix;
using Shouldly;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Samskaping.IntegrationTests.Workspace;

/// <summary>
/// The overview on Min side on a phone-sized screen, with what coordination, grants and benefits hold for the family:
/// the lead coordinator and how (not) to reach them, the sectors and what each does, the measures with their review
/// dates in words, the decision with its letter, the payment and the benefits. axe-core and 320 px reflow.
/// </summary>
[Collection(WorkspaceCollection.Name)]
public sealed class MinSideOverviewPagesTests(WorkspaceSystem system)
{
    [Fact]
    public async Task A_parent_sees_the_plan_the_decision_with_its_letter_the_payment_and_the_benefits_on_a_phone()
    {
        string parentNumber = IdentityNumbers.Adult(), childNumber = IdentityNumbers.Child(14);
        using var kari = await system.ApiAs("Kari Nordmann", "oppvekst", "caseworker");
        using var approver = await system.ApiAs("Ola Dahl", "oppvekst", "grant-approver");
        var home = await CaseClient.Open(kari, "Familien Fjell");
        var parent = (await CaseClient.AddMember(kari, home, "Per Fjell", "parent", identityNumber: parentNumber)).GetProperty("personId").GetGuid();
        await CaseClient.AddMember(kari, home, "Cecilie Fjell", "child", identityNumber: childNumber, guardians: [parent]);
        var other = await CaseClient.Open(kari, "Familien Dal");
        var otherParent = (await CaseClient.AddMember(kari, other, "Olga Dal", "parent", identityNumber: IdentityNumbers.Adult())).GetProperty("personId").GetGuid();
        await CaseClient.AddMember(kari, other, "Cecilie Fjell", "child", identityNumber: childNumber, guardians: [otherParent]);
        var letterId = await PlanFor.Build(system, kari, approver, home, parent, parentNumber, childNumber);

        await using var phone = await system.NewPerson();
        var (page, refused) = await Browser.Open(phone);
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync($"/min-side/saker/{home}");
        await page.WaitForURLAsync(url => url.Contains("/signin", StringComparison.Ordinal));
        await page.GetByLabel("Fødselsnummer (11 siffer)").FillAsync(parentNumber);
        await page.GetByRole(AriaRole.Button, new() { Name = "Logg inn som innbygger" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/min-side", StringComparison.Ordinal) && !url.Contains("/signin", StringComparison.Ordinal));
        await page.GotoAsync($"/min-side/saker/{home}");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Familien Fjell", new() { Timeout = 60_000 });

        // A section whose service did not answer in time says so; on a busy machine, load the page again.
        for (var i = 0; i < 5 && (await page.Locator("main").TextContentAsync() ?? "").Contains("kan ikke vises nå", StringComparison.Ordinal); i++)
        {
            await page.ReloadAsync();
        }
        var main = page.Locator("main");
        await Expect(main).ToContainTextAsync("Kari Nordmann i Oppvekst");
        // Kari's token from the provider carries her work address; the family writes to her from the page.
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "kari.nordmann@kommune.example" }))
            .ToHaveAttributeAsync("href", "mailto:kari.nordmann@kommune.example");
        await Expect(main).ToContainTextAsync("Oppvekst – har hovedansvaret");
        await Expect(main).ToContainTextAsync("Helse og velferd");
        await Expect(main).ToContainTextAsync("Har ansvar for: Leksehjelp to dager i uka.");
        await Expect(main).ToContainTextAsync($"Neste gjennomgang: {Samskaping.Workspace.Components.Words.Date(DateOnly.Parse(MatrixScene.Today(20)))}.");
        await Expect(page.GetByText("Forfalt", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(main).ToContainTextAsync("Gjennomgangen er forfalt og ikke gjort ennå.");
        await Expect(main).ToContainTextAsync("Nivå 2: Flere tjenester samarbeider");
        await Expect(main).ToContainTextAsync("«Fotballsko og treningsavgift.»");
        await Expect(main).ToContainTextAsync("Innvilget, 300,00 kr");
        await Expect(main).ToContainTextAsync("Utbetalt");
        await Expect(main).ToContainTextAsync("Per (deg)");
        await Expect(main).ToContainTextAsync("Bostøtte: 2");
        await Expect(main).ToContainTextAsync("100,00 kr i måneden");
        await Expect(main).ToContainTextAsync("Cecilie (barnet ditt)");
        (await page.ContentAsync()).ShouldNotContain(parentNumber);
        await page.ShouldBeAccessible();
        await page.ShouldReflowAt320();
        await page.Screenshot("min-side-plan");

        // The letter link gives the letter as issued, with the person's own session; another case's letter is not found.
        var link = page.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Les vedtaksbrevet") });
        var href = await link.GetAttributeAsync("href");
        href.ShouldBe($"/min-side/saker/{home}/brev/{letterId}");
        var letter = await page.Context.APIRequest.GetAsync(href!);
        letter.Status.ShouldBe(200);
        letter.Headers["content-type"].ShouldStartWith("application/pdf");
        System.Text.Encoding.ASCII.GetString(await letter.BodyAsync(), 0, 4).ShouldBe("%PDF");
        var elsewhere = await page.Context.APIRequest.GetAsync($"/min-side/saker/{other}/brev/{letterId}");
        elsewhere.Status.ShouldBe(404);

        // Through the child alone: the plan and the child's benefits, not the other household's money.
        await page.GotoAsync($"/min-side/saker/{other}");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Familien Dal", new() { Timeout = 60_000 });
        await Expect(main).ToContainTextAsync("Vedtak om penger gjelder husstanden, og vises bare for dem som bor i den.");
        await Expect(main).ToContainTextAsync("Cecilie (barnet ditt)");
        await Expect(main).Not.ToContainTextAsync("Per (deg)");
        await page.ShouldBeAccessible();
        refused.ShouldBeEmpty();
    }
}
