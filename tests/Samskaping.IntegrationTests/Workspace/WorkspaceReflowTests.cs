using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Workspace;

/// <summary>
/// Every page of the workspace, each as the person whose work it is: axe-core finds nothing against WCAG 2.1 A and
/// AA, the page reflows at 320 CSS px (WCAG 1.4.10), and nothing is refused by the Content-Security-Policy. With
/// <c>SAMSKAPING_SCREENSHOTS</c> set, each page is saved for the documentation.
/// </summary>
[Collection(WorkspaceCollection.Name)]
public sealed class WorkspaceReflowTests(WorkspaceSystem system)
{
    private static readonly string[] CaseParts = ["", "/samtykker", "/samarbeid", "/stafettlogg", "/plan", "/tilskudd", "/malinger", "/tidslinje"];

    [Fact]
    public async Task Every_part_of_a_case_is_accessible_and_reflows_at_320_px()
    {
        await using var kari = await system.NewPerson();
        var (page, refused) = await Browser.Open(kari);
        var caseId = await page.OpenCaseAsKari("Familien Smal");

        foreach (var part in CaseParts)
        {
            await page.GotoAsync($"/saker/{caseId}{part}");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Familien Smal");
            await page.ShouldBeAccessible();
            await page.ShouldReflowAt320();
            await page.Screenshot("sak" + part.Replace('/', '-'));
        }
        refused.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("Ola Dahl", "/godkjenning")]
    [InlineData("Ola Dahl", "/fond")]
    [InlineData("Anna Vik", "/rapporter")]
    [InlineData("Liv Berge", "/innsyn")]
    [InlineData("Per Strand", "/sektorer")]
    public async Task The_pages_outside_a_case_are_accessible_and_reflow_at_320_px(string person, string path)
    {
        await using var context = await system.NewPerson();
        var (page, refused) = await Browser.Open(context);
        await page.GotoAsync(path);
        await Browser.ChoosePerson(page, person);
        await page.WaitForURLAsync("**" + path);
        await Expect(page.Locator("h1")).ToBeVisibleAsync();
        await page.ShouldBeAccessible();
        await page.ShouldReflowAt320();
        await page.Screenshot(path.Trim('/'));
        refused.ShouldBeEmpty();
    }
}
