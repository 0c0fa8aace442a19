using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;
using Npgsql;
using Samskaping.Grants.Letters;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Tokens;
using Xunit;

namespace Samskaping.IntegrationTests.Grants;

[Collection(GrantsCollection.Name)]
public sealed class DecisionLetterTests(GrantsFixture grants)
{
    private HttpClient Named(string sector, string role, string subject, string name)
    {
        var client = grants.Client(sector, role, subject);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(sector, role, subject, name));
        return client;
    }

    private static async Task<JsonElement> OnlyLetter(HttpClient client, Guid grantId)
    {
        var response = await client.GetAsync($"/api/grants/grants/{grantId}/letters");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ShouldHaveSingleItem();
    }

    private static async Task<(byte[] Pdf, string Text, string? Checksum)> Download(HttpClient client, Guid letterId)
    {
        var response = await client.GetAsync($"/api/grants/letters/{letterId}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        var pdf = await response.Content.ReadAsByteArrayAsync();
        using var document = PdfDocument.Open(pdf);
        var text = string.Join("\n", document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text)))).Replace('\u00A0', ' ');
        return (pdf, text, response.Headers.TryGetValues("X-Content-SHA256", out var values) ? values.Single() : null);
    }

    [Fact]
    public async Task An_approval_issues_a_PDF_A_letter_with_what_was_decided_stored_with_its_checksum_and_announced()
    {
        var fund = (await grants.CreateFund(budget: 10_000m, threshold: 5_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = Named("oppvekst", "caseworker", "kari-letters", "Kari Nordmann");
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fund, 2_000m, "Fotballsko til Sara, hun har vokst ut av de gamle")))
            .GetProperty("id").GetGuid();

        (await GrantsFixture.Post(kari, $"/api/grants/grants/{grantId}/approve", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var letter = await OnlyLetter(kari, grantId);
        letter.GetProperty("outcome").GetString().ShouldBe("innvilget");
        letter.GetProperty("language").GetString().ShouldBe("nb");
        letter.GetProperty("decidedBy").EnumerateArray().Select(d => d.GetString()).ShouldBe(["Kari Nordmann"]);
        var letterId = letter.GetProperty("id").GetGuid();
        var (pdf, text, checksum) = await Download(kari, letterId);

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(pdf));
        checksum.ShouldBe(sha256);
        letter.GetProperty("sha256").GetString().ShouldBe(sha256);
        (await grants.Database.Scalar<string>("SELECT sha256 FROM grants.decision_letters WHERE id = @id", ("id", letterId))).ShouldBe(sha256);
        text.ShouldContain("Vedtak om tilskudd");
        text.ShouldContain("Dere får 2 000,00 kroner i tilskudd");
        text.ShouldContain("Fotballsko til Sara, hun har vokst ut av de gamle");
        text.ShouldContain("Vedtaket er fattet av Kari Nordmann.");
        text.ShouldContain("klagen må ha kommet fram til oss senest " + NorwegianFormat.Date(DateOnly.Parse(letter.GetProperty("appealDeadline").GetString()!)));

        using var document = PdfDocument.Open(pdf);
        document.TryGetXmpMetadata(out var xmp).ShouldBeTrue("a PDF/A declares itself in XMP metadata");
        XNamespace pdfaid = "http://www.aiim.org/pdfa/ns/id/";
        var metadata = xmp.GetXDocument();
        metadata.Descendants(pdfaid + "part").Single().Value.ShouldBe("1");
        metadata.Descendants(pdfaid + "conformance").Single().Value.ShouldBe("A");
        document.Structure.Catalog.CatalogDictionary.ContainsKey(NameToken.Create("OutputIntents")).ShouldBeTrue("PDF/A needs an OutputIntent");
        document.Structure.Catalog.CatalogDictionary.ContainsKey(NameToken.Create("StructTreeRoot")).ShouldBeTrue("the letter is tagged");
        document.GetPages().SelectMany(p => p.Letters).Select(l => l.FontName).Distinct().ShouldAllBe(f => f != null && f.Contains("DejaVu"));

        (await grants.Events("DecisionLetterIssued", "letterId", letterId)).ShouldBe(1);
        (await grants.Database.Scalar<string>(
            "SELECT body ->> 'outcome' FROM messaging.outbox WHERE message_type = 'Samskaping.Contracts.Grants.DecisionLetterIssued' AND body ->> 'letterId' = @l",
            ("l", letterId.ToString()))).ShouldBe("innvilget");
    }

    [Fact]
    public async Task Above_the_threshold_the_letter_names_the_requester_and_the_second_approver()
    {
        var fund = (await grants.CreateFund(budget: 10_000m, threshold: 1_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = Named("oppvekst", "caseworker", "kari-4eyes", "Kari Nordmann");
        using var ola = Named("oppvekst", "grant-approver", "ola-4eyes", "Ola Hansen");
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fund, 3_000m))).GetProperty("id").GetGuid();

        (await GrantsFixture.Post(ola, $"/api/grants/grants/{grantId}/approve", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var letter = await OnlyLetter(kari, grantId);
        letter.GetProperty("decidedBy").EnumerateArray().Select(d => d.GetString()).ShouldBe(["Kari Nordmann", "Ola Hansen"]);
        (await Download(kari, letter.GetProperty("id").GetGuid())).Text.ShouldContain("Vedtaket er fattet av Kari Nordmann og godkjent av Ola Hansen.");
    }

    [Fact]
    public async Task A_partial_approval_reserves_what_is_granted_and_its_letter_says_why()
    {
        var fund = (await grants.CreateFund(budget: 10_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = Named("oppvekst", "caseworker", "kari-partly", "Kari Nordmann");
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fund, 2_500m))).GetProperty("id").GetGuid();

        var approved = await GrantsFixture.Post(kari, $"/api/grants/grants/{grantId}/approve", new { amount = 1_500m, reason = "Fondet dekker treningsavgift, ikke utstyr." });

        approved.StatusCode.ShouldBe(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("amount").GetDecimal().ShouldBe(1_500m);
        (await grants.Balances(fund)).Reserved.ShouldBe(1_500m);
        var letter = await OnlyLetter(kari, grantId);
        letter.GetProperty("outcome").GetString().ShouldBe("delvis-innvilget");
        var text = (await Download(kari, letter.GetProperty("id").GetGuid())).Text;
        text.ShouldContain("Dere får 1 500,00 kroner i tilskudd");
        text.ShouldContain("Dere søkte om 2 500,00 kroner");
        text.ShouldContain("Fondet dekker treningsavgift, ikke utstyr.");
        await grants.AssertLedgerConsistent();
    }

    [Fact]
    public async Task A_refusal_in_a_household_that_chose_nynorsk_is_written_in_nynorsk_with_the_funds_legal_basis()
    {
        var fund = (await grants.CreateFund(budget: 10_000m)).GetProperty("id").GetGuid();
        using var manager = grants.Client("oppvekst", "grant-approver", "fund-admin");
        var basis = await manager.PutAsJsonAsync($"/api/grants/funds/{fund}/legal-basis", new { legalBasis = "kommunestyrets vedtak om fritidsfondet av 12. mars 2026" });
        basis.StatusCode.ShouldBe(HttpStatusCode.OK, await basis.Content.ReadAsStringAsync());
        var caseId = await grants.OpenCase();
        using var kari = Named("oppvekst", "caseworker", "kari-nn", "Kari Nordmann");
        (await kari.PutAsJsonAsync($"/api/grants/cases/{caseId}/letter-language", new { language = "nn" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fund, 800m))).GetProperty("id").GetGuid();

        var declined = await kari.PostAsJsonAsync($"/api/grants/grants/{grantId}/decline", new { reason = "Fondet dekkjer ikkje dette." });

        declined.StatusCode.ShouldBe(HttpStatusCode.OK, await declined.Content.ReadAsStringAsync());
        var letter = await OnlyLetter(kari, grantId);
        letter.GetProperty("outcome").GetString().ShouldBe("avslatt");
        letter.GetProperty("language").GetString().ShouldBe("nn");
        var text = (await Download(kari, letter.GetProperty("id").GetGuid())).Text;
        text.ShouldContain("Vedtak om tilskot");
        text.ShouldContain("De får ikkje tilskot");
        text.ShouldContain("Fondet dekkjer ikkje dette.");
        text.ShouldContain("Vedtaket er gjort etter kommunestyrets vedtak om fritidsfondet av 12. mars 2026.");
    }

    [Fact]
    public async Task An_issued_letter_cannot_be_updated_or_deleted()
    {
        var fund = (await grants.CreateFund(budget: 10_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari-final");
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fund, 500m))).GetProperty("id").GetGuid();
        (await kari.PostAsJsonAsync($"/api/grants/grants/{grantId}/decline", new { reason = "Nei." })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var letterId = (await OnlyLetter(kari, grantId)).GetProperty("id").GetGuid();

        await Should.ThrowAsync<PostgresException>(() => grants.Database.Scalar<long>(
            "WITH u AS (UPDATE grants.decision_letters SET text = 'changed' WHERE id = @id RETURNING 1) SELECT count(*) FROM u", ("id", letterId)));
        await Should.ThrowAsync<PostgresException>(() => grants.Database.Scalar<long>(
            "WITH d AS (DELETE FROM grants.decision_letters WHERE id = @id RETURNING 1) SELECT count(*) FROM d", ("id", letterId)));
        (await grants.Database.Scalar<string>("SELECT text FROM grants.decision_letters WHERE id = @id", ("id", letterId))).ShouldNotBe("changed");
    }

    [Fact]
    public async Task A_letter_is_404_outside_the_cases_participation_and_each_download_inside_is_access_logged()
    {
        var fund = (await grants.CreateFund(budget: 10_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari-dl");
        using var outsider = grants.Client("kultur", "caseworker", "kultur-dl");
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fund, 500m))).GetProperty("id").GetGuid();
        (await GrantsFixture.Post(kari, $"/api/grants/grants/{grantId}/approve", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var letterId = (await OnlyLetter(kari, grantId)).GetProperty("id").GetGuid();

        var hidden = await outsider.GetAsync($"/api/grants/letters/{letterId}");
        var missing = await kari.GetAsync($"/api/grants/letters/{Guid.CreateVersion7()}");
        await Download(kari, letterId);

        hidden.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await hidden.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString().ShouldBe("Letter not found.");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await outsider.GetAsync($"/api/grants/grants/{grantId}/letters")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await grants.Database.Scalar<long>(
            "SELECT count(*) FROM access.access_log WHERE subject = 'kari-dl' AND case_id = @c AND action = 'read' AND purpose = @p",
            ("c", caseId), ("p", $"decision letter {letterId}"))).ShouldBe(1);
    }

    [Fact]
    public async Task Bad_letter_input_is_answered_with_problem_details()
    {
        var fund = (await grants.CreateFund(budget: 10_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari-bad");
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fund, 500m, instalments: new[]
        {
            new { amount = 250m, dueOn = DateOnly.FromDateTime(DateTime.UtcNow) },
            new { amount = 250m, dueOn = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(1) },
        }))).GetProperty("id").GetGuid();

        (await GrantsFixture.Post(kari, $"/api/grants/grants/{grantId}/approve", new { amount = 600m })).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var noReason = await GrantsFixture.Post(kari, $"/api/grants/grants/{grantId}/approve", new { amount = 200m });
        noReason.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _).ShouldBeTrue();
        (await GrantsFixture.Post(kari, $"/api/grants/grants/{grantId}/approve", new { amount = 200m, reason = "Mindre." }))
            .StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, "instalments are approved in full or declined");
        (await GrantsFixture.Post(kari, $"/api/grants/grants/{grantId}/approve", new { amount = "mye" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await kari.PostAsJsonAsync($"/api/grants/grants/{grantId}/decline", new { reason = "Nei.", outcome = "kanskje" })).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await kari.PutAsJsonAsync($"/api/grants/cases/{caseId}/letter-language", new { language = "en" })).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await kari.PutAsJsonAsync($"/api/grants/cases/{caseId}/letter-language", new { language = 7 })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var manager = grants.Client("oppvekst", "grant-approver", "fund-admin");
        (await manager.PutAsJsonAsync($"/api/grants/funds/{fund}/legal-basis", new { legalBasis = " " })).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await kari.PutAsJsonAsync($"/api/grants/funds/{fund}/legal-basis", new { legalBasis = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await grants.Database.Scalar<long>("SELECT count(*) FROM grants.decision_letters WHERE grant_id = @g", ("g", grantId))).ShouldBe(0);
    }
}
