using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Benefits.Lookup;

/// <summary>The simulator's side of the look-up contract: <c>POST /api/v1/ytelser/oppslag</c>, seeded and set at run time.</summary>
public sealed class SimulatorLookupTests(SimulatorHost simulator) : IClassFixture<SimulatorHost>
{
    private const string Path = "/api/v1/ytelser/oppslag";
    private static readonly string[] Seeded = ["15838510075"];

    [Fact]
    public async Task A_seeded_person_has_their_benefits_and_an_unknown_person_has_none()
    {
        using var client = await simulator.AuthorizedClient();
        var unknown = SyntheticIdentityNumbers.Adult();

        var response = await client.PostAsJsonAsync(Path, new { personidenter = new[] { "15838510075", unknown } });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var persons = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("personer").EnumerateArray().ToList();
        persons.Select(p => p.GetProperty("personident").GetString()).ShouldBe(["15838510075", unknown]);
        var seeded = persons[0].GetProperty("ytelser").EnumerateArray().ToList();
        seeded.Select(y => y.GetProperty("type").GetString()).ShouldBe(["økonomisk sosialhjelp", "barnetrygd"]);
        seeded[0].GetProperty("belopPerManed").GetDecimal().ShouldBe(8450.00m);
        seeded[0].GetProperty("fom").GetString().ShouldBe("2026-01-01");
        seeded[0].GetProperty("tom").ValueKind.ShouldBe(JsonValueKind.Null);
        persons[1].GetProperty("ytelser").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Benefits_set_at_run_time_are_answered()
    {
        var person = SyntheticIdentityNumbers.Adult();
        await simulator.SetBenefits(person, new { type = "bostøtte", belopPerManed = 3200.50m, fom = "2026-02-01", tom = "2026-12-31" });
        using var client = await simulator.AuthorizedClient();

        var answer = await (await client.PostAsJsonAsync(Path, new { personidenter = new[] { person } })).Content.ReadFromJsonAsync<JsonElement>();

        var ytelse = answer.GetProperty("personer")[0].GetProperty("ytelser").EnumerateArray().ShouldHaveSingleItem();
        ytelse.GetProperty("type").GetString().ShouldBe("bostøtte");
        ytelse.GetProperty("belopPerManed").GetDecimal().ShouldBe(3200.50m);
        ytelse.GetProperty("tom").GetString().ShouldBe("2026-12-31");
    }

    [Fact]
    public async Task The_look_up_needs_the_simulators_token()
    {
        using var client = simulator.Client();

        var response = await client.PostAsJsonAsync(Path, new { personidenter = Seeded });

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("""{"personidenter": []}""")]
    [InlineData("""{"personidenter": ["1583851007"]}""")]
    [InlineData("""{}""")]
    public async Task A_look_up_without_valid_identity_numbers_is_400_naming_the_field(string body)
    {
        using var client = await simulator.AuthorizedClient();

        var response = await client.PostAsync(Path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("personidenter");
    }

    [Fact]
    public async Task Setting_benefits_with_a_bad_body_is_400_and_changes_nothing()
    {
        using var control = simulator.Client();

        var response = await control.PostAsJsonAsync("/simulator/benefits", new
        {
            personident = "15838510075",
            ytelser = new[] { new { type = "", belopPerManed = -1m, fom = "2026-02-01", tom = "2026-01-01" } },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var client = await simulator.AuthorizedClient();
        var answer = await (await client.PostAsJsonAsync(Path, new { personidenter = Seeded })).Content.ReadFromJsonAsync<JsonElement>();
        answer.GetProperty("personer")[0].GetProperty("ytelser").GetArrayLength().ShouldBe(2);
    }
}
