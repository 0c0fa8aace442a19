using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.ServiceDefaults;
using Shouldly;

namespace Samskaping.IntegrationTests.Cases;

/// <summary>The caseworker's steps, as the tests take them through the gateway.</summary>
internal static class CaseClient
{
    // Every purpose, so a sector the consent covers may work on the case in every service (docs/privacy.md).
    private static readonly string[] AllPurposes = ["coordination", "grants", "outcome-measurement", "benefit-coordination"];
    private static readonly string[] NeedsAndFamily = ["needs", "family"];

    public static async Task<Guid> Open(HttpClient client, string household = "Familien Test", object? referral = null, Guid? householdId = null)
    {
        var response = await client.PostAsJsonAsync("/api/cases", new
        {
            householdName = household,
            need = new { text = "Vi trenger hjelp med lekser.", saidBy = "Mor" },
            referral,
            householdId,
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<JsonElement> AddMember(HttpClient client, Guid caseId, string name, string role, DateOnly? birthDate = null,
        string? identityNumber = null, Guid[]? guardians = null)
    {
        var response = await client.PostAsJsonAsync($"/api/cases/{caseId}/members", new { name, role, birthDate, identityNumber, guardians });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<Guid> AddAdult(HttpClient client, Guid caseId, string name = "Mona Test") =>
        (await AddMember(client, caseId, name, "parent", identityNumber: IdentityNumbers.Adult())).GetProperty("personId").GetGuid();

    public static async Task<Guid> Consent(HttpClient client, Guid caseId, Guid personId, Guid? givenBy = null, params string[] sectors)
    {
        var response = await client.PostAsJsonAsync($"/api/cases/{caseId}/consents", new
        {
            personId,
            givenByPersonId = givenBy ?? personId,
            sectors = sectors.Length == 0 ? ["oppvekst"] : sectors,
            purposes = AllPurposes,
            dataCategories = NeedsAndFamily,
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static Task<HttpResponseMessage> Move(HttpClient client, Guid caseId, string to, string reason = "Avtalt med familien.") =>
        client.PostAsJsonAsync($"/api/cases/{caseId}/status", new { to, reason });

    public static async Task<JsonElement> Read(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

/// <summary>Valid national identity numbers (check digits computed), random so tests do not meet each other's people.</summary>
internal static class IdentityNumbers
{
    public static string Adult() => For(new DateOnly(1985, 1, 1).AddDays(Random.Shared.Next(0, 3650)), 0, 499);

    public static string Child(int age = 9) => For(DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-age).AddDays(-Random.Shared.Next(1, 300)), 500, 999);

    public static DateOnly BirthDateOf(string number) => IdentityNumber.Parse(number, out _)!.BirthDate;

    public static string For(DateOnly birth, int fromIndividual, int toIndividual)
    {
        while (true)
        {
            var nine = $"{birth.Day:00}{birth.Month:00}{birth.Year % 100:00}{Random.Shared.Next(fromIndividual, toIndividual + 1):000}";
            if (IdentityNumber.WithCheckDigits(nine) is { } number)
            {
                return number;
            }
        }
    }
}
