using System.Net;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Coordination;

[Collection(CoordinationCollection.Name)]
public sealed class SectorRegistryTests(CoordinationFixture coordination)
{
    private static readonly string[] Seeded = ["frivillighet", "helse-velferd", "kultur", "nav", "oppvekst"];

    [Fact]
    public async Task The_registry_starts_with_the_five_sectors_and_admins_add_more_with_unique_kebab_codes()
    {
        using var worker = coordination.Client("oppvekst", "caseworker", "oppvekst-siri");
        using var admin = coordination.Client("oppvekst", "admin", "admin-arne");

        var sectors = await worker.GetAsync("/api/coordination/sectors").Expect(HttpStatusCode.OK);
        Seeded.ShouldBeSubsetOf(sectors.Strings("code"));

        await worker.Post("/api/coordination/sectors", new { code = "barnevern", name = "Barnevern" }).ExpectProblem(HttpStatusCode.Forbidden);
        var added = await admin.Post("/api/coordination/sectors", new { code = "pp-tjeneste", name = "PP-tjenesten" }).Expect(HttpStatusCode.Created);
        added.GetProperty("addedBy").GetString().ShouldBe("admin-arne");
        await admin.Post("/api/coordination/sectors", new { code = "pp-tjeneste", name = "Igjen" }).ExpectProblem(HttpStatusCode.Conflict);
        var bad = await admin.Post("/api/coordination/sectors", new { code = "PP Tjeneste", name = "x" }).ExpectProblem(HttpStatusCode.UnprocessableEntity);
        bad.GetProperty("errors").TryGetProperty("code", out _).ShouldBeTrue();
        (await worker.GetAsync("/api/coordination/sectors").Expect(HttpStatusCode.OK)).Strings("code").ShouldContain("pp-tjeneste");
    }
}
