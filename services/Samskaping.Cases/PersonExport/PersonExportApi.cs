using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Samskaping.Access;
using Samskaping.Cases.AccessHistory;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.PersonExport;

/// <summary>
/// Everything the municipality holds about one person, in one archive (innsyn and dataportabilitet, GDPR art. 15
/// and 20), for the privacy officer to hand to the person: each service's part as JSON and a summary in bokmål.
/// The person is named as in their access history (their person id); the parts are gathered from all five services
/// at once, as the history is, and a service that cannot answer makes the whole export unavailable.
/// </summary>
public static class PersonExportApi
{
    public const string Purpose = "person-export";

    public static void MapPersonExportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPersonExport("cases", ReadNamedRecords);

        var persons = app.MapApiGroup("/api/cases/persons", "Access history", Policies.PrivacyOfficer);
        persons.MapGet("/{id:guid}/export", GetExport)
            .WithName("GetPersonExport")
            .WithSummary("Everything every service holds about a person, as one zip archive")
            .WithDescription(
                "For the privacy officer (any sector). A zip with one JSON file per service (cases, coordination, grants, outcomes, " +
                "benefits: the data, what is held back and why, and that service's access-log entries about the person) and " +
                "sammendrag.html, a summary in Norwegian bokmål for the person. A guardian's export includes the children under 15 " +
                "in their care; a youth from 15 has their own. Relay-log entries under professional secrecy or restricted, and " +
                "what other household members said, are listed as held back with the reason, never left out. 503 naming the " +
                "services that could not answer: the export is never shorter than what is held. The export is access-logged " +
                "(read, person-export) for every person in it.")
            .Produces(StatusCodes.Status200OK, contentType: PersonExportArchive.ContentType)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetExport(
        Guid id, CurrentUser user, NpgsqlDataSource dataSource, AccessLogSourceClient sources, AccessLog accessLog, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.Now();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await CasesPersonExport.ScopeOf(connection, id, DateOnly.FromDateTime(now.UtcDateTime), ct) is not { } scope)
        {
            return Refusal.NotFound("Person not found.", $"There is no person {id}.").ToProblem();
        }
        var query = scope.Query;
        var answers = await Task.WhenAll(AccessLogSourcesOptions.Expected
            .Select(service => sources.Export(service, query, ct))
            .Prepend(Local(connection, scope, ct)));
        var failed = answers.Where(a => a.Part is null).ToList();
        if (failed.Count > 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The person's export is incomplete right now.",
                detail: "The data of " + string.Join("; ", failed.Select(f => $"{f.Service} ({f.Failure})")) +
                    " could not be read. Try again later: the export is never given without every service's part.",
                extensions: new Dictionary<string, object?> { ["unavailable"] = failed.Select(f => f.Service).ToArray() });
        }
        var archive = PersonExportArchive.Write(scope, [.. answers.Select(a => a.Part!)], now);
        await accessLog.WriteMany(user, scope.People.Select(p => new AccessSubject(null, p)), AccessActions.Read, Purpose, connection, ct);
        return TypedResults.File(archive, PersonExportArchive.ContentType, $"innsyn-{id}.zip");
    }

    // Cases' own part is read from its own database, on the request's connection, while the others answer.
    private static async Task<ExportAnswer> Local(NpgsqlConnection connection, ExportScope scope, CancellationToken ct) =>
        new("cases", await PersonDataExport.Read("cases", connection, scope.Query, (c, _, t) => CasesPersonExport.Read(c, scope, t), ct), null);

    // The internal endpoint of cases' own part, for a caller that names the records itself: the same reader, where
    // the records that are not the person's own count as the children in their care.
    private static Task<PersonExportContent> ReadNamedRecords(NpgsqlConnection connection, PersonExportQuery query, CancellationToken ct) =>
        CasesPersonExport.Read(connection, new ExportScope(query.PersonId!.Value, [query.PersonId!.Value], [.. query.People.Skip(1)], query.Cases), ct);
}
