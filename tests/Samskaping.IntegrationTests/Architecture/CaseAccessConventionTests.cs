using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Samskaping.Access;
using Samskaping.IntegrationTests.EndToEnd;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Architecture;

/// <summary>
/// The access rule is declared on the route, not remembered in each handler (docs/architecture.md §5): every endpoint
/// under <c>/api/</c> whose route names a thing by id carries <see cref="CaseAccessRequired"/>, so a new endpoint
/// cannot forget it. Read from the endpoints each running service has mapped, not from a list kept by hand.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class CaseAccessConventionTests(SystemFixture system)
{
    private static readonly string[] Converted = ["cases", "coordination", "grants", "outcomes", "benefits"];

    private static readonly string[] MessagingAdminOperations =
        ["error-queue/{messageId:guid}/replay", "error-queue/{messageId:guid}/discard", "outbox/parked/{id:guid}/replay", "outbox/parked/{id:guid}/discard"];

    /// <summary>Endpoints with an id in the route that are not about one person's case, each with why.</summary>
    private static readonly Dictionary<string, string> Exempt = new Dictionary<string, string>(MessagingAdmin())
    {
        ["GET /api/cases/persons/{id:guid}/access-log"] =
            "the privacy officer's review of a person across all their cases; that role sees no case content and is not in the case",
        ["GET /api/cases/persons/{id:guid}/export"] =
            "the privacy officer's export of a person across all their cases, for the person; the privacy officer is not in the case",
        ["GET /api/cases/persons/{id:guid}/corrections"] =
            "the privacy officer's review of a person's corrections across all their households; that role is not in the case",
        ["GET /api/cases/households/{householdId:guid}/corrections"] =
            "the privacy officer's review of a household's corrections across its cases; that role is not in the case",
        ["POST /api/cases/{id:guid}/legal-hold"] =
            "the privacy officer holds a case for a complaint or lawsuit from outside it; the answer holds no case content",
        ["POST /api/cases/{id:guid}/legal-hold/lift"] = "as the legal hold: the privacy officer, not in the case",
        ["POST /api/cases/{id:guid}/erasure"] =
            "the privacy officer erases a case opened by mistake from outside it; the answer is the anonymisation's status, no case content",
        ["GET /api/cases/{id:guid}/anonymisation"] =
            "the privacy officer follows an anonymisation: who ordered it, why, which services are done; no case content",
        ["POST /api/coordination/cases/{caseId:guid}/handovers/{handoverId:guid}/accept"] =
            "the receiving coordinator may answer before their sector's access rows know the case; the handler checks the handover is theirs",
        ["POST /api/coordination/cases/{caseId:guid}/handovers/{handoverId:guid}/decline"] =
            "as accept: the handover's receiver answers it, whatever their sector's access rows say yet",
        ["GET /api/grants/funds/{fundId:guid}"] = "a fund is the municipality's budget, not a person's case (its managers: GrantPolicies)",
        ["POST /api/grants/funds/{fundId:guid}/top-ups"] = "a fund, not a case",
        ["POST /api/grants/funds/{fundId:guid}/reallocations"] = "a fund, not a case",
        ["GET /api/grants/funds/{fundId:guid}/ledger"] = "a fund, not a case",
        ["GET /api/grants/funds/{fundId:guid}/debtor-account"] = "a fund's bank account, not a case",
        ["PUT /api/grants/funds/{fundId:guid}/debtor-account"] = "a fund's bank account, not a case",
        ["PUT /api/grants/funds/{fundId:guid}/legal-basis"] = "a fund's rules for its letters, not a case; only the fund's managers",
        ["POST /api/grants/funds/{fundId:guid}/payment-files"] = "a fund's payment run spans cases; only the fund's managers (GrantPolicies)",
        ["GET /api/grants/funds/{fundId:guid}/payment-files"] = "a fund's payment runs: amounts and ids, no person's data",
        ["GET /api/grants/funds/{fundId:guid}/payment-files/{fileId:guid}"] =
            "a fund's payment run spans cases; only the fund's managers, and every case in it is access-logged",
        ["POST /api/grants/funds/{fundId:guid}/bank-answers"] = "the bank's answers for a fund's payments span cases; only the fund's managers",
        ["GET /api/grants/reports/households/{householdId:guid}"] =
            "a household spans cases; the query keeps to the cases the caller may see (CaseAccess.VisiblePredicate)",
        ["GET /api/benefits/households/{householdId:guid}/benefits"] =
            "a household spans cases; the handler asks whether the caller may see any case of it",
    };

    /// <summary>The admins' replay and discard of undeliverable messages, the same in every service (Messaging/Replay).</summary>
    private static IEnumerable<KeyValuePair<string, string>> MessagingAdmin() =>
        from service in Converted
        from operation in MessagingAdminOperations
        select KeyValuePair.Create($"POST /api/{service}/admin/messaging/{operation}",
            "a message or an outbox row by id, not a case: admins only, and the audit names messages by id and type");

    public static TheoryData<string> Services => [.. Converted];

    [Theory]
    [MemberData(nameof(Services))]
    public void Every_endpoint_that_names_a_case_or_a_thing_in_one_requires_case_access(string service)
    {
        var endpoints = Endpoints(service);

        var unguarded = endpoints
            .Where(e => e.Route.StartsWith("/api/", StringComparison.Ordinal) && e.HasGuid && e.Access is null && e.Citizen is null && !Exempt.ContainsKey(e.Name))
            .Select(e => e.Name)
            .ToList();

        unguarded.ShouldBeEmpty($"{service}: endpoints with an id in the route but without RequireCaseAccess, RequireCitizenRelation (or a reason in {nameof(Exempt)})");
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Case_access_names_a_route_value_of_the_endpoint(string service)
    {
        foreach (var endpoint in Endpoints(service).Where(e => e.Access is not null))
        {
            endpoint.Parameters.ShouldContain(endpoint.Access!.RouteValue, endpoint.Name);
        }
        foreach (var endpoint in Endpoints(service).Where(e => e.Citizen is not null))
        {
            endpoint.Parameters.ShouldContain(endpoint.Citizen!.RouteValue, endpoint.Name);
        }
    }

    [Fact]
    public void Every_exemption_is_an_endpoint_of_a_converted_service()
    {
        var names = Converted.SelectMany(Endpoints).Select(e => e.Name).ToHashSet();
        var prefixes = Converted.Select(s => $" /api/{s}/").ToList();

        Exempt.Keys.Where(k => prefixes.Any(p => k.Contains(p, StringComparison.Ordinal))).ShouldAllBe(k => names.Contains(k));
    }

    private List<MappedEndpoint> Endpoints(string service) =>
        [.. system.Services(service).GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => new MappedEndpoint(
                $"{string.Join(",", e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])} {e.RoutePattern.RawText}",
                e.RoutePattern.RawText ?? "",
                e.RoutePattern.Parameters.Any(p => p.ParameterPolicies.Any(policy => policy.Content == "guid")),
                [.. e.RoutePattern.Parameters.Select(p => p.Name)],
                e.Metadata.GetMetadata<CaseAccessRequired>(),
                e.Metadata.GetMetadata<Samskaping.Cases.Citizens.CitizenRelationRequired>()))];

    /// <param name="Citizen">The family's own view: a citizen is in no sector, so the citizens' relation rule is declared on the route instead.</param>
    private sealed record MappedEndpoint(
        string Name, string Route, bool HasGuid, IReadOnlyList<string> Parameters, CaseAccessRequired? Access,
        Samskaping.Cases.Citizens.CitizenRelationRequired? Citizen);
}
