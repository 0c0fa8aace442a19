using System.Globalization;
using Microsoft.Playwright;
using Shouldly;

namespace Samskaping.IntegrationTests.Workspace;

/// <summary>
/// A person without a mouse: Tab and Shift+Tab from stop to stop, Space and Enter, arrow keys in radio groups and
/// lists, and typing. Nothing here clicks, fills or moves the focus by script; it only reads where the focus is.
/// </summary>
internal static class KeyboardSteps
{
    // More stops than any page has, so a search that wraps past the end of the page still ends.
    private const int MostStops = 120;

    /// <summary>On the provider's sign-in page: Tab to the person's button, its focus visible, and Enter.</summary>
    public static async Task SignIn(IPage page, string person)
    {
        await page.WaitForURLAsync(url => url.Contains("/signin", StringComparison.Ordinal));
        for (var i = 0; i < MostStops && !(await FocusedText(page, "BUTTON")).Contains(person, StringComparison.Ordinal); i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }
        (await FocusedText(page, "BUTTON")).ShouldContain(person);
        await ShouldShowFocus(page);
        await page.Keyboard.PressAsync("Enter");
    }

    /// <summary>Tab (or Shift+Tab) until the element with this id has the focus.</summary>
    public static async Task TabTo(IPage page, string id, bool backwards = false)
    {
        for (var i = 0; i < MostStops && await Focused(page, "id") != id; i++)
        {
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
        }
        (await Focused(page, "id")).ShouldBe(id);
    }

    /// <summary>Tab (or Shift+Tab) until the link or button that says <paramref name="text"/> has the focus, and it shows.</summary>
    public static async Task TabToText(IPage page, string text, bool backwards = false)
    {
        for (var i = 0; i < MostStops && await FocusedControl(page) != text; i++)
        {
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
        }
        (await FocusedControl(page)).ShouldBe(text);
        await ShouldShowFocus(page);
    }

    /// <summary>
    /// Tab to the link that says <paramref name="link"/>, Enter, and wait for what only the new page shows
    /// (<paramref name="ready"/>): enhanced navigation changes the address before the new page is in place.
    /// </summary>
    public static async Task Follow(IPage page, string link, string path, string ready)
    {
        await TabToText(page, link);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"**{path}");
        await Assertions.Expect(page.Locator(ready).First).ToBeVisibleAsync();
        await page.ShouldBeAccessible();
    }

    /// <summary>WCAG 2.4.7: the focused element draws a focus ring (an outline or a box shadow) where a sighted person sees it.</summary>
    public static async Task ShouldShowFocus(IPage page)
    {
        var shown = await page.EvaluateAsync<string>("""
            () => {
              const e = document.activeElement;
              if (!e || e === document.body) return 'nothing has the focus';
              const s = getComputedStyle(e);
              const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
              const shadow = s.boxShadow && s.boxShadow !== 'none';
              return outline || shadow ? '' : `${e.tagName.toLowerCase()} «${e.innerText ?? e.id}» has no visible focus (outline ${s.outlineStyle}, box-shadow ${s.boxShadow})`;
            }
            """);
        shown.ShouldBeEmpty();
    }

    /// <summary>In the focused list (a select), arrow keys until <paramref name="value"/> is chosen.</summary>
    public static async Task ChooseWithArrows(IPage page, string value)
    {
        (await Focused(page, "tagName")).ShouldBe("SELECT");
        var options = await page.EvaluateAsync<int>("() => document.activeElement.options.length");
        await page.Keyboard.PressAsync("Home");
        for (var i = 0; i < options && await Focused(page, "value") != value; i++)
        {
            await page.Keyboard.PressAsync("ArrowDown");
        }
        (await Focused(page, "value")).ShouldBe(value);
    }

    /// <summary>
    /// Types a date into the focused date field part by part. The browser lays out its date fields in its own language,
    /// not the page's (Debian's chromium carries only en-US: month first), so the date is one whose day and month are the
    /// same number, typed the same way in a day-first and a month-first field.
    /// </summary>
    public static async Task TypeDate(IPage page, DateOnly date)
    {
        date.Day.ShouldBe(date.Month, "a date typed the same in a day-first and a month-first field");
        (await Focused(page, "type")).ShouldBe("date");
        await page.Keyboard.TypeAsync(date.Day.ToString("00", CultureInfo.InvariantCulture));
        await page.Keyboard.TypeAsync(date.Month.ToString("00", CultureInfo.InvariantCulture));
        await page.Keyboard.TypeAsync(date.Year.ToString("0000", CultureInfo.InvariantCulture));
        (await Focused(page, "value")).ShouldBe(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    /// <summary>The first day after <paramref name="after"/> whose day and month are the same number (12 December, 1 January …).</summary>
    public static DateOnly DayLikeItsMonthAfter(DateOnly after)
    {
        var day = after.AddDays(1);
        while (day.Day != day.Month)
        {
            day = day.AddDays(1);
        }
        return day;
    }

    /// <summary>A property of the element that has the focus, or empty.</summary>
    public static async Task<string> Focused(IPage page, string property) =>
        await page.EvaluateAsync<string?>("p => String(document.activeElement?.[p] ?? '')", property) ?? "";

    /// <summary>The text of the element that has the focus, when it is a <paramref name="tag"/>.</summary>
    public static async Task<string> FocusedText(IPage page, string tag) =>
        (await page.EvaluateAsync<string?>("tag => document.activeElement?.tagName === tag ? document.activeElement.innerText : ''", tag) ?? "").Trim();

    /// <summary>Whether the focus is inside the page's main content (past the menu).</summary>
    public static Task<bool> FocusIsInMain(IPage page) =>
        page.EvaluateAsync<bool>("() => document.activeElement?.closest('main') !== null && document.activeElement?.tagName !== 'MAIN'");

    private static async Task<string> FocusedControl(IPage page) =>
        (await page.EvaluateAsync<string?>(
            "() => ['A', 'BUTTON'].includes(document.activeElement?.tagName) ? document.activeElement.innerText : ''") ?? "").Trim();
}
