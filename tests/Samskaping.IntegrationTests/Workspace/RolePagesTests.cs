using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Samskaping.IntegrationTests.Cases;
using Shouldly;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Samskaping.IntegrationTests.Workspace;

/// <summary>
/// The pages outside a case, each for its role: the analyst's reports with charts and CSV, the privacy officer's access
/// history of a person chosen by identity number, and the admin's sector registry. A coordinator is told in words that
/// they are not hers. Every page passes axe-core and loads nothing the Content-Security-Policy refuses.
/// </summary>
[Collection(WorkspaceCollection.Name)]
public sealed class RolePagesTests(WorkspaceSystem system)
{
    [Fact]
    public async Task An_analyst_reads_the_reports_as_tables_and_charts_filters_them_and_downloads_a_table_as_csv()
    {
        var fundName = $"Rapportfondet {Guid.NewGuid():N}"[..24];
        using (var per = await system.ApiAs("Per Strand", "oppvekst", "admin"))
        {
            using var create = new HttpRequestMessage(HttpMethod.Post, "/api/grants/funds");
            create.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            create.Content = JsonContent.Create(new
            {
                name = fundName, owner = "oppvekst", periodStart = "2026-01-01", periodEnd = "2027-01-01", budget = 120000m,
                approvalThreshold = 10000m, householdCap = 30000m, lowBalanceThreshold = 5000m, reportToBenefitSystem = false,
            });
            var created = await per.SendAsync(create);
            created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }
        await using var anna = await system.NewPerson();
        var (page, refused) = await Browser.Open(anna);

        await page.GotoAsync("/rapporter");
        await Browser.ChoosePerson(page, "Anna Vik");
        await page.WaitForURLAsync("**/rapporter");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Rapporter");
        var funds = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Fondene" }) });
        await Expect(funds.Locator("table caption")).ToHaveTextAsync("Fondene: budsjett, reservert, utbetalt og igjen");
        await Expect(funds.Locator("tbody")).ToContainTextAsync(fundName);
        await Expect(funds.Locator("svg[role=img]")).ToHaveCountAsync(1);
        (await funds.Locator("svg desc").TextContentAsync())!.ShouldContain(fundName);
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Endring i «Fornøyd med livet» per gruppe, med 95 % konfidensintervall" })).ToBeVisibleAsync();
        await page.ShouldBeAccessible();

        // The download is the table: one line per row the page shows, after the header.
        var names = await funds.Locator("tbody th").AllInnerTextsAsync();
        var csv = await page.APIRequest.GetAsync((await funds.GetByRole(AriaRole.Link, new() { Name = "Last ned fondene som CSV" }).GetAttributeAsync("href"))!);
        csv.Status.ShouldBe(200);
        csv.Headers["content-type"].ShouldStartWith("text/csv");
        var lines = (await csv.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        (lines.Length - 1).ShouldBe(names.Count);
        foreach (var name in names)
        {
            lines.Skip(1).ShouldContain(line => line.Contains(name, StringComparison.Ordinal));
        }

        // The filters are a GET form: the choice is in the address, and the change report and its download follow it.
        await page.GetByLabel("Del opp endringen etter").SelectOptionAsync("family-type");
        await page.GetByRole(AriaRole.Button, new() { Name = "Vis rapportene" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("by=family-type", StringComparison.Ordinal));
        var change = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Endring fra første til siste måling" }) });
        await Expect(change.Locator("thead th").First).ToHaveTextAsync("Familietype");
        var changeCsv = await page.APIRequest.GetAsync((await change.GetByRole(AriaRole.Link, new() { Name = "Last ned endringen som CSV" }).GetAttributeAsync("href"))!);
        changeCsv.Status.ShouldBe(200);
        var changeLines = (await changeCsv.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        changeLines.Skip(1).ShouldAllBe(line => line.StartsWith("family-type,", StringComparison.Ordinal));
        (changeLines.Length - 1).ShouldBe(await change.Locator("tbody tr").CountAsync());
        await page.ShouldBeAccessible();

        refused.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_privacy_officer_sees_by_identity_number_that_a_coordinator_looked_the_person_up()
    {
        var number = IdentityNumbers.Adult();
        using (var kari = await system.ApiAs("Kari Nordmann", "oppvekst", "coordinator"))
        {
            var caseId = await CaseClient.Open(kari, "Familien Innsyn");
            await CaseClient.AddMember(kari, caseId, "Mona Innsyn", "parent", identityNumber: number);
            (await kari.PostAsJsonAsync("/api/cases/persons/lookup", new { identityNumber = number })).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        await using var liv = await system.NewPerson();
        var (page, refused) = await Browser.Open(liv);

        await page.GotoAsync("/innsyn");
        await Browser.ChoosePerson(page, "Liv Berge");
        await page.WaitForURLAsync("**/innsyn");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Hvem har sett opplysningene");
        await page.ShouldBeAccessible();

        // A number that is no fødselsnummer is refused by the API, and the message stands beside the field.
        await page.GetByLabel("Fødselsnummer eller D-nummer").FillAsync("12345678901");
        await page.GetByRole(AriaRole.Button, new() { Name = "Vis hvem som har sett" }).ClickAsync();
        await page.Locator("#identity-number-error").WaitForAsync();
        await Expect(page.Locator("#identity-number-error")).ToContainTextAsync("ikke et gyldig fødselsnummer");
        (await page.Locator("#identity-number").GetAttributeAsync("aria-invalid")).ShouldBe("true");
        (await page.Locator("#identity-number").GetAttributeAsync("aria-describedby"))!.ShouldContain("identity-number-error");
        await page.ShouldBeAccessible();

        await page.GetByLabel("Fødselsnummer eller D-nummer").FillAsync(number);
        await page.GetByRole(AriaRole.Button, new() { Name = "Vis hvem som har sett" }).ClickAsync();
        var history = page.GetByRole(AriaRole.Table, new() { Name = "Hvem har sett eller endret opplysningene om personen, og hvorfor" });
        await Expect(history).ToBeVisibleAsync();
        var lookup = history.Locator("tbody tr", new() { HasText = "søk etter personen med fødselsnummer" });
        await Expect(lookup).ToHaveCountAsync(1);
        var row = await lookup.InnerTextAsync();
        row.ShouldContain("dev-kari-nordmann");
        row.ShouldContain("Oppvekst");
        row.ShouldContain("koordinator");
        row.ShouldContain("så på personen");
        await page.ShouldBeAccessible();

        // The number was only in the POST's body: not in the address, a link, or anywhere on the answer.
        page.Url.ShouldNotContain(number);
        (await page.ContentAsync()).ShouldNotContain(number);
        foreach (var href in await page.Locator("a").EvaluateAllAsync<string[]>("links => links.map(a => a.href)"))
        {
            href.ShouldNotContain(number);
        }
        refused.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_admin_adds_a_sector_and_a_refused_code_is_shown_beside_its_field()
    {
        var code = $"bibliotek-{Random.Shared.Next(100000, 999999)}";
        await using var per = await system.NewPerson();
        var (page, refused) = await Browser.Open(per);

        await page.GotoAsync("/sektorer");
        await Browser.ChoosePerson(page, "Per Strand");
        await page.WaitForURLAsync("**/sektorer");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Sektorer");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Sektorer som kan være med i en sak" })).ToContainTextAsync("helse-velferd");
        await page.ShouldBeAccessible();

        await page.GetByLabel("Navn", new() { Exact = true }).FillAsync("Bibliotek");
        await page.GetByLabel("Kode", new() { Exact = true }).FillAsync("Bibliotek og museum");
        await page.GetByRole(AriaRole.Button, new() { Name = "Legg til sektoren" }).ClickAsync();
        await page.Locator("#sector-code-error").WaitForAsync();
        await Expect(page.Locator("#sector-code-error")).ToContainTextAsync("små bokstaver");
        (await page.Locator("#sector-code").GetAttributeAsync("aria-invalid")).ShouldBe("true");
        (await page.GetByLabel("Navn", new() { Exact = true }).InputValueAsync()).ShouldBe("Bibliotek");
        await page.ShouldBeAccessible();

        await page.GetByLabel("Kode", new() { Exact = true }).FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Legg til sektoren" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Sektorer som kan være med i en sak" })).ToContainTextAsync(code);
        await Expect(page.Locator("#sector-code-error")).ToHaveCountAsync(0);
        page.Url.ShouldEndWith("/sektorer");
        await page.ShouldBeAccessible();

        refused.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_coordinator_is_told_in_words_that_the_reports_the_access_history_and_the_sectors_are_not_hers()
    {
        await using var kari = await system.NewPerson();
        var (page, refused) = await Browser.Open(kari);
        await page.GotoAsync("/");
        await Browser.ChoosePerson(page, "Kari Nordmann");
        await page.WaitForURLAsync(system.Root.ToString());
        // Not in her menu; and the address typed in gets words, not data.
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Rapporter" })).ToHaveCountAsync(0);

        foreach (var (path, heading) in new[] { ("/rapporter", "Rapporter"), ("/innsyn", "Hvem har sett opplysningene"), ("/sektorer", "Sektorer") })
        {
            var answer = await page.GotoAsync(path);
            answer!.Status.ShouldBe(403, path);
            await Expect(page.Locator("h1")).ToHaveTextAsync(heading);
            await Expect(page.Locator("main")).ToContainTextAsync("Du har ikke tilgang");
            await Expect(page.Locator("main table")).ToHaveCountAsync(0);
            await Expect(page.Locator("main form")).ToHaveCountAsync(0);
            await page.ShouldBeAccessible();
        }
        refused.ShouldBeEmpty();
    }
}
