using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using Samskaping.Workspace;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Workspace;

/// <summary>The backend-for-frontend's promises: tokens stay on the server, forms need their antiforgery token, and an
/// ended session signs the person in again and brings them back.</summary>
[Collection(WorkspaceCollection.Name)]
public sealed partial class WorkspaceSessionTests(WorkspaceSystem system)
{
    [Fact]
    public async Task No_token_reaches_the_page_script_or_storage_and_the_session_cookie_is_httponly_secure_and_samesite()
    {
        await using var kari = await system.NewPerson();
        var (page, _) = await Browser.Open(kari);
        await page.GotoAsync("/");
        await Browser.ChoosePerson(page, "Kari Nordmann");
        await page.WaitForURLAsync(system.Root.ToString());

        var session = (await kari.CookiesAsync([system.Root.ToString()])).Single(c => c.Name == "samskaping-okt");
        session.HttpOnly.ShouldBeTrue();
        session.Secure.ShouldBeTrue();
        session.SameSite.ShouldBe(SameSiteAttribute.Lax);
        // A JWT is two base64 JSON objects, each starting with the base64 of '{"': in no page, script-readable cookie or
        // storage. Both halves, because "eyJ" alone turns up now and then in any long random token (the antiforgery
        // field, the sealed session cookie).
        Jwt().IsMatch(await page.ContentAsync()).ShouldBeFalse();
        (await page.EvaluateAsync<string>("() => document.cookie")).ShouldNotContain("samskaping-okt");
        Jwt().IsMatch(await page.EvaluateAsync<string>("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage)")).ShouldBeFalse();
        Jwt().IsMatch(session.Value).ShouldBeFalse();
        var headers = (await page.ReloadAsync())!.Headers;
        headers["content-security-policy"].ShouldStartWith("default-src 'self'; script-src 'self'; style-src 'self';");
    }

    [Fact]
    public async Task A_form_posted_without_its_antiforgery_token_is_refused()
    {
        await using var kari = await system.NewPerson();
        var (page, _) = await Browser.Open(kari);
        await page.GotoAsync("/saker/ny");
        await Browser.ChoosePerson(page, "Kari Nordmann");
        await page.WaitForURLAsync("**/saker/ny");

        var forged = await kari.APIRequest.PostAsync("/saker/ny", new()
        {
            Form = kari.APIRequest.CreateFormData()
                .Set("_handler", "open-case").Set("Form.NeedText", "Forfalsket").Set("Form.HouseholdName", "Familien Falsk"),
            MaxRedirects = 0,
        });

        forged.Status.ShouldBe((int)HttpStatusCode.BadRequest);
        await page.GotoAsync("/saker?q=Falsk");
        await Expect(page.Locator("main")).ToContainTextAsync("Ingen saker passer.");
    }

    [Fact]
    public async Task An_ended_session_signs_in_again_and_returns_to_the_page_asked_for()
    {
        await using var kari = await system.NewPerson();
        var (page, _) = await Browser.Open(kari);
        await page.GotoAsync("/saker?q=Lund");
        await Browser.ChoosePerson(page, "Kari Nordmann");
        await page.WaitForURLAsync("**/saker?q=Lund");

        // The workspace's session is gone (expired, or ended elsewhere); the provider still knows Kari.
        await kari.ClearCookiesAsync(new() { Name = "samskaping-okt" });
        await page.GotoAsync("/saker?q=Lund");

        await page.WaitForURLAsync("**/saker?q=Lund");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Saker");
        (await kari.CookiesAsync([system.Root.ToString()])).ShouldContain(c => c.Name == "samskaping-okt");
    }

    [Fact]
    public async Task A_person_signed_in_at_one_replica_goes_on_at_another_whose_forms_and_pages_accept_the_session()
    {
        var second = system.SecondWorkspaceReplica();
        await using var kari = await system.NewPerson();
        var (page, _) = await Browser.Open(kari);
        await page.GotoAsync("/saker/ny");
        await Browser.ChoosePerson(page, "Kari Nordmann");
        await page.WaitForURLAsync("**/saker/ny");

        // The form and its antiforgery token come from the replica behind the gateway; the session cookie came from its
        // sign-in. The other replica reads both only with the data-protection keys and session tickets they share.
        var antiforgery = await page.Locator("form[method=post] input[name=__RequestVerificationToken]").First.InputValueAsync();
        var opened = await kari.APIRequest.PostAsync(new Uri(second, "saker/ny").ToString(), new()
        {
            Form = kari.APIRequest.CreateFormData()
                .Set("__RequestVerificationToken", antiforgery).Set("_handler", "open-case")
                .Set("Form.NeedText", "Vi trenger en fast voksen å snakke med.").Set("Form.HouseholdName", "Familien Replikasen"),
            MaxRedirects = 0,
        });

        opened.Status.ShouldBe((int)HttpStatusCode.Redirect, customMessage: await opened.TextAsync());
        var casePage = new Uri(second, opened.Headers["location"]);
        casePage.Authority.ShouldBe(second.Authority);
        casePage.AbsolutePath.ShouldMatch("^/saker/[0-9a-f-]{36}$");
        await page.GotoAsync(casePage.ToString());
        page.Url.ShouldBe(casePage.ToString(), customMessage: "the second replica answered without sending Kari to sign in again");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Familien Replikasen");
        await page.GotoAsync(casePage.AbsolutePath);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Familien Replikasen");

        // Two replicas in this one test process would also share a key folder on this machine, which two pods do not:
        // every key of the ring must be a row of the database they share.
        using var scope = system.SecondWorkspaceServices.CreateScope();
        var stored = await scope.ServiceProvider.GetRequiredService<WorkspaceStore>().DataProtectionKeys
            .Select(k => k.FriendlyName).ToListAsync();
        var ring = scope.ServiceProvider.GetRequiredService<IKeyManager>().GetAllKeys();
        ring.ShouldNotBeEmpty();
        ring.ShouldAllBe(k => stored.Contains($"key-{k.KeyId:D}"), "a data-protection key outside the shared database");
    }

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+")]
    private static partial Regex Jwt();
}
