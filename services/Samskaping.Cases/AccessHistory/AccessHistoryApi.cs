using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Samskaping.Access;
using Samskaping.Cases.Cases;
using Samskaping.Cases.PersonalData;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.AccessHistory;

/// <summary>POST /api/cases/persons/access-log: the person by national identity number, in the body, never in the URL.</summary>
public sealed record AccessHistoryByNumber(
    [property: MaxLength(Samskaping.ServiceDefaults.IdentityNumber.MaxInputLength)] string? IdentityNumber,
    [property: MaxLength(Cursor.MaxLength)] string? Cursor,
    [property: Range(1, AccessHistoryApi.MaxLimit)] int? Limit);

/// <summary>
/// A person's access history across every service, for the privacy officer (personvernombud) and as the basis of
/// the person's own view of who looked at their data (docs/architecture.md §5). Reading it is itself access-logged.
/// </summary>
public static class AccessHistoryApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const string Purpose = "privacy-review";

    public static void MapAccessHistoryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapAccessLogExport("cases");

        var persons = app.MapApiGroup("/api/cases/persons", "Access history", Policies.PrivacyOfficer);
        persons.MapGet("/{id:guid}/access-log", GetAccessHistory)
            .WithName("GetPersonAccessHistory")
            .WithSummary("Who read or changed a person's data, in every service, newest first, paged")
            .WithDescription(
                "For the privacy officer (any sector). The entries of every service's access log (cases, coordination, grants, " +
                "outcomes, benefits) that concern the person or one of the person's cases, each naming its service: who, role, " +
                "sector, case, person, action, purpose, when and the request's correlation (W3C trace) id. limit 1–200 " +
                "(default 50); cursor: nextCursor of the previous page. 503 naming the services whose logs could not be read: " +
                "the history is never shown incomplete. Reading it is logged (read-access-log, privacy-review) and shows in the next read.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        persons.MapPost("/access-log", GetAccessHistoryByNumber)
            .WithName("GetPersonAccessHistoryByNumber")
            .WithSummary("A person's access history, the person named by national identity number in the body")
            .WithDescription(
                "The same history as GET …/persons/{id}/access-log, for a privacy officer who has the person's identity number and " +
                "not Samskaping's id (a person asking who has looked at their data). The number travels in the body only; it is found " +
                "by its keyed hash, in every household that records it. identityNumber not a valid fødselsnummer or D-number: 422 " +
                "naming it; no household records it: 404. limit 1–200 (default 50); cursor: nextCursor of the previous page.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    public static async Task<Results<Ok<PersonAccessHistoryPage>, ProblemHttpResult>> GetAccessHistoryByNumber(
        AccessHistoryByNumber request, CurrentUser user, NpgsqlDataSource dataSource, PersonalDataProtector protector,
        AccessLogSourceClient sources, AccessLog accessLog, CancellationToken ct)
    {
        var number = Samskaping.ServiceDefaults.IdentityNumber.Parse(request.IdentityNumber, out var why);
        if (number is null)
        {
            return Refusal.Unprocessable("The access history could not be read.", "identityNumber",
                request.IdentityNumber is null ? "Required." : why!).ToProblem();
        }
        Guid? personId;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            // Any one record will do: the history takes in the person's records in every other household by the same hash.
            personId = await connection.QueryFirstOrDefaultAsync<Guid?>(new CommandDefinition(
                "SELECT person_id FROM cases.household_members WHERE identity_number_lookup = @lookup ORDER BY person_id LIMIT 1",
                new { lookup = protector.LookupHash(number) }, cancellationToken: ct));
        }
        if (personId is not { } id)
        {
            return Refusal.NotFound("Person not found.", "No household in Samskaping records this identity number.").ToProblem();
        }
        return await GetAccessHistory(id, user, dataSource, sources, accessLog, ct, request.Cursor,
            request.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static async Task<Results<Ok<PersonAccessHistoryPage>, ProblemHttpResult>> GetAccessHistory(
        Guid id, CurrentUser user, NpgsqlDataSource dataSource, AccessLogSourceClient sources, AccessLog accessLog, CancellationToken ct,
        [FromQuery, Description(WorkListQuery.CursorDescription), MaxLength(Cursor.MaxLength)] string? cursor = null,
        [FromQuery, Description("Page size, a whole number from 1 to 200 (default 50)."), MaxLength(WorkListQuery.MaxLimitDigits), RegularExpression("^[0-9]+$")] string? limit = null)
    {
        var errors = new ValidationErrors();
        var take = WorkListQuery.ParseLimit(limit, errors, DefaultLimit, MaxLimit);
        var before = WorkListQuery.ParseCursor(cursor, errors);
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The access history could not be read.", errors).ToProblem();
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await RecordsOf(connection, id, ct) is not { } records)
        {
            return Refusal.NotFound("Person not found.", $"There is no person {id}.").ToProblem();
        }
        var (samePersonIds, caseIds) = records;
        var (page, next, unavailable) = await Gather(connection, sources, id, samePersonIds, caseIds, before, take, ct);
        if (unavailable is not null)
        {
            return unavailable;
        }
        await accessLog.Write(user, null, id, AccessActions.ReadAccessLog, Purpose, ct);
        return TypedResults.Ok(new PersonAccessHistoryPage(id, page, next?.Encode()));
    }

    /// <summary>
    /// One page of the entries of every service's access log about the person's records (<paramref name="personId"/>
    /// and <paramref name="samePersonIds"/>) or about one of <paramref name="caseIds"/> as a whole, newest first,
    /// strictly before <paramref name="before"/>; or the 503 naming the services whose logs could not be read.
    /// </summary>
    internal static async Task<(IReadOnlyList<PersonAccessEntry> Page, Cursor? Next, ProblemHttpResult? Unavailable)> Gather(
        NpgsqlConnection connection, AccessLogSourceClient sources, Guid personId, IReadOnlyList<Guid> samePersonIds, IReadOnlyList<Guid> caseIds,
        Cursor? before, int take, CancellationToken ct)
    {
        var query = new AccessLogQuery(personId, caseIds, before?.At, before?.Id, take + 1, samePersonIds);
        var answers = await Task.WhenAll(AccessLogSourcesOptions.Expected
            .Select(service => sources.Query(service, query, ct))
            .Append(Local(connection, query, ct)));
        var failed = answers.Where(a => a.Entries is null).ToList();
        if (failed.Count > 0)
        {
            return ([], null, TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The access history is incomplete right now.",
                detail: "The access log of " + string.Join("; ", failed.Select(f => $"{f.Service} ({f.Failure})")) +
                    " could not be read. Try again later: the history is never shown without every service's part.",
                extensions: new Dictionary<string, object?> { ["unavailable"] = failed.Select(f => f.Service).ToArray() }));
        }
        var (page, next) = PersonAccessHistory.Merge(
            answers.Select(a => a.Entries!.Select(e => PersonAccessEntry.From(a.Service, e))), take);
        return (page, next, null);
    }

    /// <summary>
    /// Null for an unknown person; otherwise the person's records in other households (the same keyed hash: each
    /// household keeps its own) and the cases of every household the person belongs to, so the history is whole.
    /// </summary>
    internal static async Task<(Guid[] SamePersonIds, Guid[] CaseIds)?> RecordsOf(NpgsqlConnection connection, Guid personId, CancellationToken ct)
    {
        var known = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM cases.persons WHERE id = @personId)", new { personId }, cancellationToken: ct));
        if (!known)
        {
            return null;
        }
        var same = (await connection.QueryAsync<Guid>(new CommandDefinition(
            $"""
            SELECT DISTINCT o.person_id FROM cases.household_members m
            JOIN cases.household_members o ON {LookupSql.SameNumber("o", "m")}
            WHERE m.person_id = @personId AND o.person_id <> @personId
            """, new { personId }, cancellationToken: ct))).ToArray();
        var caseIds = await connection.QueryAsync<Guid>(new CommandDefinition(
            """
            SELECT DISTINCT sak.id
            FROM cases.household_members m JOIN cases.cases sak ON sak.household_id = m.household_id
            WHERE m.person_id = ANY (@personIds)
            """, new { personIds = same.Prepend(personId).ToArray() }, cancellationToken: ct));
        return (same, [.. caseIds]);
    }

    // Cases' own log is read from its own database, on the request's connection, before the others answer.
    private static async Task<SourceAnswer> Local(NpgsqlConnection connection, AccessLogQuery query, CancellationToken ct) =>
        new("cases", await AccessLogExport.Page(connection, query, ct), null);
}
