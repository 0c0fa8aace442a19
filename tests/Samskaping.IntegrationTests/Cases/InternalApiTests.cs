using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Samskaping.Benefits.People;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.ServiceDefaults;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Cases;

/// <summary>
/// The cases service's internal, service-to-service endpoints, called the way the benefits service calls them
/// (its own <see cref="CasesDirectory"/> with its own service token) — and refused to everyone else.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class InternalApiTests(SystemFixture system)
{
    private CasesDirectory Directory => system.Services("benefits").GetRequiredService<CasesDirectory>();

    [Fact]
    public async Task The_benefits_service_gets_members_applicant_and_memberships_with_identity_numbers_and_each_read_is_access_logged()
    {
        var worker = system.Client("oppvekst", Roles.Caseworker);
        var caseId = await CaseClient.Open(worker);
        var household = (await CaseClient.Read(worker, $"/api/cases/{caseId}")).GetProperty("householdId").GetGuid();
        var child = IdentityNumbers.Child();
        await CaseClient.AddMember(worker, caseId, "Lise Test", "child", identityNumber: child);
        var adultNumber = IdentityNumbers.Adult();
        var adult = (await CaseClient.AddMember(worker, caseId, "Mona Test", "parent", identityNumber: adultNumber)).GetProperty("personId").GetGuid();
        await CaseClient.AddMember(worker, caseId, "Ola Test", "other-adult", birthDate: new DateOnly(1979, 5, 17));

        var kari = new CurrentUser("kari", "Kari Test", Roles.Caseworker, "oppvekst");
        var members = await Directory.Members(household, "test: benefit look-up", OnBehalfOf.For(kari, caseId), default);
        members.ShouldNotBeNull();
        members.Count.ShouldBe(3);
        members.Single(m => m.PersonId == adult).IdentityNumber.ShouldBe(adultNumber);
        members.Single(m => m.Role == "child").IdentityNumber.ShouldBe(child);
        members.Single(m => m.Role == "other-adult").IdentityNumber.ShouldBeNull();

        // The child was added first, but the applicant is the earliest adult with an identity number.
        var applicant = await Directory.Applicant(caseId, "test: digisos feed", default);
        applicant.ShouldBe(new Applicant(adult, adultNumber));

        var memberships = await Directory.Resolve(adultNumber, "test: inbound notification", default);
        memberships.ShouldHaveSingleItem().ShouldBe(new PersonMembership(adult, household, [caseId]), new MembershipComparer());
        (await Directory.Resolve(IdentityNumbers.Adult(), "test: unknown person", default)).ShouldBeEmpty();

        await using var db = new NpgsqlConnection(system.Database("cases").ConnectionString);
        var purposes = (await db.QueryAsync<string>(
            "SELECT purpose FROM access.access_log WHERE subject = 'service:benefits' AND person_id = @adult ORDER BY at", new { adult })).ToList();
        purposes.ShouldBe(["test: benefit look-up", "test: digisos feed", "test: inbound notification"]);
        // The look-up was a read for Kari on this case: the entry says so; the feed and inbound reads were the service's own.
        var entries = (await db.QueryAsync<(string Purpose, Guid? CaseId, string? OnBehalfOf, string? OnBehalfOfSector)>(
            "SELECT purpose, case_id, on_behalf_of, on_behalf_of_sector FROM access.access_log WHERE subject = 'service:benefits' AND person_id = @adult ORDER BY at",
            new { adult })).ToList();
        entries[0].ShouldBe(("test: benefit look-up", caseId, "kari", "oppvekst"));
        entries.Skip(1).ShouldAllBe(e => e.OnBehalfOf == null && e.OnBehalfOfSector == null);
    }

    [Fact]
    public async Task A_read_for_a_worker_names_all_of_worker_sector_and_one_of_the_households_cases_or_is_refused()
    {
        var worker = system.Client("oppvekst", Roles.Caseworker);
        var caseId = await CaseClient.Open(worker);
        var household = (await CaseClient.Read(worker, $"/api/cases/{caseId}")).GetProperty("householdId").GetGuid();
        var otherCase = await CaseClient.Open(worker);
        var token = await system.Services("benefits").GetRequiredService<ServiceTokens>().Token(default);
        using var service = new HttpClient { BaseAddress = system.Address("cases") };
        service.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var path = $"/internal/cases/households/{household}/members";

        async Task<HttpResponseMessage> Get(params (string Name, string Value)[] headers)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add(InternalApiPurpose, "test: on behalf");
            foreach (var (name, value) in headers)
            {
                request.Headers.Add(name, value);
            }
            return await service.SendAsync(request);
        }

        var cases = (OnBehalfOf.CaseHeader, caseId.ToString());
        var sector = (OnBehalfOf.SectorHeader, "oppvekst");
        var subject = (OnBehalfOf.SubjectHeader, "kari");
        foreach (var (headers, named) in new[]
        {
            (new[] { subject }, OnBehalfOf.SectorHeader),
            (new[] { subject, sector }, OnBehalfOf.CaseHeader),
            (new[] { sector, cases }, OnBehalfOf.SubjectHeader),
            (new[] { subject, (OnBehalfOf.SectorHeader, "skatt"), cases }, OnBehalfOf.SectorHeader),
            (new[] { subject, sector, (OnBehalfOf.CaseHeader, "not-a-case") }, OnBehalfOf.CaseHeader),
            (new[] { subject, sector, (OnBehalfOf.CaseHeader, otherCase.ToString()) }, OnBehalfOf.CaseHeader),
        })
        {
            var refused = await Get(headers);
            refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, string.Join(", ", headers.Select(h => h.Item1)));
            (await refused.Content.ReadAsStringAsync()).ShouldContain(named);
        }
        (await Get(subject, sector, cases)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Get()).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private const string InternalApiPurpose = "X-Access-Purpose";

    [Fact]
    public async Task Unknown_household_or_case_is_null_and_an_invalid_identity_number_is_refused()
    {
        (await Directory.Members(Guid.NewGuid(), "test", OnBehalfOf.For(new CurrentUser("kari", "Kari", Roles.Caseworker, "oppvekst"), Guid.NewGuid()), default)).ShouldBeNull();
        (await Directory.Applicant(Guid.NewGuid(), "test", default)).ShouldBeNull();
        await Should.ThrowAsync<ArgumentException>(() => Directory.Resolve("12345678901", "test", default));

        var worker = system.Client("oppvekst", Roles.Caseworker);
        var caseId = await CaseClient.Open(worker);
        await CaseClient.AddMember(worker, caseId, "Ola Test", "parent", birthDate: new DateOnly(1979, 5, 17));
        (await Directory.Applicant(caseId, "test", default)).ShouldBeNull();
    }

    [Fact]
    public async Task Staff_tokens_are_refused_the_gateway_does_not_route_internal_paths_and_the_purpose_is_required()
    {
        using var direct = new HttpClient { BaseAddress = system.Address("cases") };
        direct.DefaultRequestHeaders.Add("X-Access-Purpose", "test");
        var path = $"/internal/cases/households/{Guid.NewGuid()}/members";

        (await direct.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        foreach (var role in new[] { Roles.Caseworker, Roles.Coordinator, Roles.Admin, Roles.Analyst })
        {
            direct.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For("nav", role));
            (await direct.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, role);
        }
        // A person's token that claims the service role is still not a service: its subject is not service:….
        direct.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For("nav", Roles.Service, subject: "kari"));
        (await direct.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var gateway = system.Client("oppvekst", Roles.Caseworker);
        (await gateway.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var token = await system.Services("benefits").GetRequiredService<ServiceTokens>().Token(default);
        using var service = new HttpClient { BaseAddress = system.Address("cases") };
        service.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var missing = await service.GetAsync(path);
        missing.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await missing.Content.ReadAsStringAsync()).ShouldContain("X-Access-Purpose");
        var invalid = await service.PostAsJsonAsync("/internal/cases/persons/resolve", new { identityNumber = "abc" });
        invalid.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
    }

    private sealed class MembershipComparer : IEqualityComparer<PersonMembership>
    {
        public bool Equals(PersonMembership? x, PersonMembership? y) =>
            x is not null && y is not null && x.PersonId == y.PersonId && x.HouseholdId == y.HouseholdId && x.CaseIds.SequenceEqual(y.CaseIds);

        public int GetHashCode(PersonMembership obj) => HashCode.Combine(obj.PersonId, obj.HouseholdId);
    }
}
