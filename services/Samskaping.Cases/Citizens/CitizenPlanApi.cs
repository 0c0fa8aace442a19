using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.Cases.AccessHistory;
using Samskaping.Cases.PersonalData;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Citizens;

/// <summary>
/// The family's plan from the services that hold it (docs/architecture.md §8): coordination, grants and benefits, one
/// endpoint each, so a service that is down makes only its part unavailable (503 naming it) while the rest shows. Each
/// asks the owning service's internal endpoint with the case, the records the citizen reaches and the citizen as
/// reader; that service answers about those only and writes its access-log rows as the citizen's own read.
/// </summary>
public static class CitizenPlanApi
{
    public static void MapCitizenPlanEndpoints(this IEndpointRouteBuilder app)
    {
        var citizen = app.MapApiGroup("/api/cases/citizen", "Citizens", Policies.Citizen);

        citizen.MapGet("/cases/{caseId:guid}/plan", Plan)
            .RequireCitizenRelation()
            .WithName("GetCitizenPlan")
            .WithSummary("Who coordinates the case, which sectors take part, and the action plan, from the coordination service")
            .WithDescription("The lead coordinator's name (when coordination was told it) and sector, the participating sectors with their roles, " +
                "the measures with their responsible sector and next review date (overdue: the date has passed without an evaluation), and the BTI level. " +
                "404 outside the relation rule; 503 naming coordination when it cannot answer. Access-logged by coordination as the citizen's own read.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        citizen.MapGet("/cases/{caseId:guid}/grants", Grants)
            .RequireCitizenRelation()
            .WithName("GetCitizenGrants")
            .WithSummary("The household's grants, their decisions with the letters, and the payments planned and paid, from the grants service")
            .WithDescription("Only for a member of the case's household (a grant is the household's money): a citizen who reaches the case through a " +
                "child alone gets an empty list, with householdOnly true. Per grant: purpose, requested amount, status, payee, decisions (letterId, " +
                "outcome, amount, date, appeal deadline, inForce) and payments. Never who requested or approved it beyond what the letter states. " +
                "404 outside the relation rule; 503 naming grants when it cannot answer. Access-logged by grants as the citizen's own read.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        citizen.MapGet("/cases/{caseId:guid}/letters/{letterId:guid}", Letter)
            .RequireCitizenRelation()
            .WithName("GetCitizenDecisionLetter")
            .WithSummary("A decision letter of the household's grants, as issued (PDF/A)")
            .WithDescription("404 for a letter of another case, a missing one, or when the citizen reaches the case through a child alone; " +
                "503 naming grants when it cannot answer. The X-Content-SHA256 header is the checksum stored when the letter was issued. " +
                "Access-logged by grants as the citizen's own read.")
            .Produces<byte[]>(StatusCodes.Status200OK, "application/pdf")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        citizen.MapGet("/cases/{caseId:guid}/benefits", Benefits)
            .RequireCitizenRelation()
            .WithName("GetCitizenBenefits")
            .WithSummary("What the benefit system reports for the citizen and the children in their care in this case, from the benefits service")
            .WithDescription("Per record the citizen reaches the case through (themselves; a child under 15 in their care), never other members: first " +
                "name, relation (self or child), identified (has an identity number the benefit system can be asked about) and benefits (type, " +
                "monthlyAmount in NOK, from, to). 404 outside the relation rule; 503 naming benefits when it or the benefit system cannot answer. " +
                "Access-logged by benefits as the citizen's own read, and by cases for the identity numbers it hands to benefits.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    public static async Task<Results<Ok<CitizenPlanPart>, ProblemHttpResult>> Plan(
        Guid caseId, CitizenCase visible, CitizenToken citizen, AccessLogSourceClient sources, CancellationToken ct) =>
        await Ask<CitizenPlanPart>(sources, "coordination", "citizen/plan", Query(caseId, visible, citizen), ct) switch
        {
            (_, { } failure) => failure,
            (var plan, _) => TypedResults.Ok(plan!),
        };

    public static async Task<Results<Ok<CitizenGrantsDto>, ProblemHttpResult>> Grants(
        Guid caseId, CitizenCase visible, CitizenToken citizen, AccessLogSourceClient sources, CancellationToken ct)
    {
        if (!visible.Reached.IsOwn)
        {
            return TypedResults.Ok(new CitizenGrantsDto(true, []));
        }
        var (part, failure) = await Ask<CitizenGrantsPart>(sources, "grants", "citizen/grants", Query(caseId, visible, citizen), ct);
        return failure ?? (Results<Ok<CitizenGrantsDto>, ProblemHttpResult>)TypedResults.Ok(new CitizenGrantsDto(false, part!.Grants));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Letter(
        Guid caseId, Guid letterId, CitizenCase visible, CitizenToken citizen, AccessLogSourceClient sources, DbSession db, AccessLog accessLog,
        HttpResponse response, CancellationToken ct)
    {
        var (letter, failure) = await Ask<CitizenLetterPart>(sources, "grants", "citizen/letter", Query(caseId, visible, citizen, letterId), ct);
        if (failure is not null)
        {
            return failure;
        }
        if (letter!.Pdf is null)
        {
            await accessLog.Write(citizen.AsReader(), caseId, null, AccessActions.Refused,
                $"{CitizenCaseAccess.RefusedPurpose}: GetCitizenDecisionLetter", await db.Connection(ct), ct);
            return Refusal.NotFound("Letter not found.", $"There is no decision letter {letterId} in case {caseId} of your household.").ToProblem();
        }
        response.Headers["X-Content-SHA256"] = letter.Sha256;
        return TypedResults.File(letter.Pdf, "application/pdf", $"vedtak-{letterId}.pdf");
    }

    public static async Task<Results<Ok<CitizenBenefitsDto>, ProblemHttpResult>> Benefits(
        Guid caseId, CitizenCase visible, CitizenToken citizen, AccessLogSourceClient sources, DbSession db, PersonalDataProtector protector,
        AccessLog accessLog, CancellationToken ct)
    {
        var through = visible.Reached.Through;
        var connection = await db.Connection(ct);
        var encrypted = await connection.QueryAsync<(Guid Id, byte[] Encrypted)>(new CommandDefinition(
            "SELECT id, identity_number_encrypted FROM cases.persons WHERE id = ANY(@ids) AND identity_number_encrypted IS NOT NULL",
            new { ids = through.Select(t => t.PersonId).ToArray() }, cancellationToken: ct));
        List<CitizenRecordNumber> numbers = [.. encrypted.Select(e => new CitizenRecordNumber(e.Id, protector.Decrypt(e.Encrypted, e.Id)))];
        // The numbers leave this service for benefits only: their read is logged here, as the internal members endpoint logs its own.
        await accessLog.WriteMany(citizen.AsReader(), numbers.Select(n => new AccessSubject(caseId, n.PersonId)), AccessActions.Read,
            CitizenReadQuery.Purpose, connection, ct);
        var (part, failure) = await Ask<CitizenBenefitsPart>(sources, "benefits", "citizen/benefits", Query(caseId, visible, citizen, numbers: numbers), ct);
        if (failure is not null)
        {
            return failure;
        }
        var records = through.ToDictionary(t => t.PersonId);
        return TypedResults.Ok(new CitizenBenefitsDto(part!.FetchedAt, [.. part.Records
            .Where(r => records.ContainsKey(r.PersonId))
            .Select(r => new CitizenRecordBenefitsDto(CitizenWhoseDto.FirstNameOf(records[r.PersonId].Name), records[r.PersonId].Relation, r.Identified, r.Benefits))]));
    }

    /// <summary>The internal read's body: the case, the records the citizen reaches it through, the citizen as reader.</summary>
    public static CitizenReadQuery Query(Guid caseId, CitizenCase visible, CitizenToken citizen, Guid? letterId = null, IReadOnlyList<CitizenRecordNumber>? numbers = null) =>
        new(caseId, [.. visible.Reached.Through.Select(t => t.PersonId)], citizen.AsReader().Subject, visible.Reached.IsOwn, letterId, numbers);

    /// <summary>The owning service's answer, or the 503 problem that names it: never a silently shorter page.</summary>
    public static async Task<(TAnswer? Answer, ProblemHttpResult? Failure)> Ask<TAnswer>(
        AccessLogSourceClient sources, string service, string path, CitizenReadQuery query, CancellationToken ct)
        where TAnswer : class
    {
        var (answer, failure) = await sources.Post<CitizenReadQuery, TAnswer>(service, path, query, ct);
        return failure is null
            ? (answer, null)
            : (null, TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                title: $"The {service} service cannot answer now.",
                detail: $"The {service} service {failure}. The rest of the case can be read; try this part again shortly.",
                extensions: new Dictionary<string, object?> { ["unavailable"] = new[] { service } }));
    }
}
