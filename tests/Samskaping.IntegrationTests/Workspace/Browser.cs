using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Shouldly;

namespace Samskaping.IntegrationTests.Workspace;

/// <summary>What a person does in the browser, and what every page must hold up to.</summary>
internal static partial class Browser
{
    private static readonly AxeRunOptions Wcag21AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    /// <summary>A page that records what the browser refused under the Content-Security-Policy.</summary>
    public static async Task<(IPage Page, List<string> Refused)> Open(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        var refused = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                refused.Add(message.Text);
            }
        };
        // A navigation the browser could not complete (an error page, not an HTTP status) says why in the test output.
        page.RequestFailed += (_, request) => Console.WriteLine($"The browser could not load {request.Url}: {request.Failure}");
        return (page, refused);
    }

    /// <summary>On the identity provider's sign-in page: chooses the demo person whose button names them.</summary>
    public static async Task ChoosePerson(IPage page, string name)
    {
        await page.WaitForURLAsync(url => url.Contains("/signin", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = name }).ClickAsync();
    }

    /// <summary>axe-core finds nothing against WCAG 2.1 A and AA on the page as it is now.</summary>
    public static async Task ShouldBeAccessible(this IPage page)
    {
        var result = await page.RunAxe(Wcag21AA);
        result.Violations.ShouldBeEmpty(string.Join("\n", result.Violations.Select(v =>
            $"{page.Url}: {v.Id} ({v.Impact}) {v.Help}: {string.Join(" | ", v.Nodes.Select(n => n.Html))}")));
    }

    /// <summary>
    /// WCAG 1.4.10: at 320 CSS px wide the page needs no sideways scrolling; the widest element is named when it does.
    /// The viewport is put back afterwards.
    /// </summary>
    public static async Task ShouldReflowAt320(this IPage page)
    {
        var before = page.ViewportSize;
        await page.SetViewportSizeAsync(320, 640);
        try
        {
            var overflow = await page.EvaluateAsync<string>("""
                () => {
                  const width = document.documentElement.clientWidth;
                  if (document.documentElement.scrollWidth <= width) return '';
                  const widest = [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > width + 1)
                    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).replaceAll(' ', '.') : ''));
                  return `scrollWidth ${document.documentElement.scrollWidth} > ${width}: ${widest.slice(0, 5).join(', ')}`;
                }
                """);
            overflow.ShouldBeEmpty($"{page.Url} does not reflow at 320 px");
        }
        finally
        {
            if (before is not null)
            {
                await page.SetViewportSizeAsync(before.Width, before.Height);
            }
        }
    }

    /// <summary>
    /// A screenshot for the documentation, when <c>SAMSKAPING_SCREENSHOTS</c> names a folder
    /// (<c>SAMSKAPING_SCREENSHOTS=$PWD/docs/screenshots ./samskaping test --filter WorkspaceJourney</c>); otherwise nothing.
    /// </summary>
    public static async Task Screenshot(this IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("SAMSKAPING_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        }
    }

    /// <summary>Kari signs in at «Åpne en sak» and opens a case with the need in the family's words; the page ends on the case.</summary>
    public static async Task<Guid> OpenCaseAsKari(this IPage page, string household, string need = "Vi trenger hjelp til å få hverdagen til å gå rundt.")
    {
        await page.GotoAsync("/saker/ny");
        await ChoosePerson(page, "Kari Nordmann");
        await page.WaitForURLAsync("**/saker/ny");
        return await page.OpenCase(household, need);
    }

    /// <summary>On «Åpne en sak», signed in: opens a case with the need in the family's words; the page ends on the case.</summary>
    public static async Task<Guid> OpenCase(this IPage page, string household, string need)
    {
        await page.GetByLabel("Behovet, med familiens egne ord").FillAsync(need);
        await page.GetByLabel("Navn på husstanden").FillAsync(household);
        await page.GetByRole(AriaRole.Button, new() { Name = "Åpne saken" }).ClickAsync();
        await page.WaitForURLAsync(CasePath());
        return page.CaseId();
    }

    public static Guid CaseId(this IPage page) => Guid.Parse(CasePath().Match(page.Url).Groups["id"].Value);

    [GeneratedRegex("/saker/(?<id>[0-9a-f-]{36})")]
    public static partial Regex CasePath();
}
