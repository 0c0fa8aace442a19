using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Samskaping.Access;
using Samskaping.Cases.AccessHistory;
using Samskaping.Contracts.Cases;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Corrections;

/// <summary>
/// retting (GDPR art. 16): caseworkers and coordinators of a sector that may see the case correct what their case's
/// household recorded; the privacy officer reads every correction of a person or a household (docs/privacy.md).
/// </summary>
public static class CorrectionsApi
{
    public const string Purpose = "privacy-review";
    private const string Kept = "The previous value, who corrected it, when and why are kept (cases.corrections, append-only) and shown to the privacy officer.";

    public static void MapCorrectionEndpoints(this IEndpointRouteBuilder app)
    {
        var correct = app.MapApiGroup("/api/cases", "Corrections", Policies.CaseWorker).MapGroup("/{id:guid}").RequireCaseAccess("id");

        correct.MapPost("/household/corrections", CorrectHousehold)
            .WithName("CorrectHousehold")
            .WithSummary("Correct the household's name, with a reason")
            .WithDescription("The household is one record for all its cases. " + Kept + " Publishes CaseRecordCorrected (without the name).")
            .ProducesInvalid();

        correct.MapPost("/members/{personId:guid}/corrections", CorrectMember)
            .WithName("CorrectHouseholdMember")
            .WithSummary("Correct a member's name, birth date, role, guardians or identity number, with a reason")
            .WithDescription("Only the fields given are corrected; guardians is the member's whole list of guardians. identityNumber is validated as " +
                "when adding a member, stored encrypted, found by its keyed hash and never answered back; without birthDate it brings its own. Only " +
                "this household's record of the person changes, never another household's record of the same person (docs/privacy.md); a record " +
                "still shared with another household from before each kept its own is a 409 for name, birth date and number. " + Kept +
                " Publishes one HouseholdMemberCorrected per corrected field (without name or number).")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        correct.MapPost("/needs/{needId:guid}/corrections", (Guid id, Guid needId, CorrectText request, CurrentUser user, CorrectionStore store, DbSession db, CancellationToken ct) =>
                CorrectText(id, CorrectedFields.NeedText, needId, request, user, store, db, ct))
            .WithName("CorrectNeed")
            .WithSummary("Correct the text of a need, in the family's own words, with a reason")
            .WithDescription(Kept + " Publishes CaseRecordCorrected (without the text).")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status404NotFound);

        correct.MapPost("/resources/{resourceId:guid}/corrections", (Guid id, Guid resourceId, CorrectText request, CurrentUser user, CorrectionStore store, DbSession db, CancellationToken ct) =>
                CorrectText(id, CorrectedFields.ResourceText, resourceId, request, user, store, db, ct))
            .WithName("CorrectResource")
            .WithSummary("Correct the text of a resource, in the family's own words, with a reason")
            .WithDescription(Kept + " Publishes CaseRecordCorrected (without the text).")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status404NotFound);

        correct.MapPost("/goals/{goalId:guid}/corrections", (Guid id, Guid goalId, CorrectText request, CurrentUser user, CorrectionStore store, DbSession db, CancellationToken ct) =>
                CorrectText(id, CorrectedFields.GoalText, goalId, request, user, store, db, ct))
            .WithName("CorrectGoal")
            .WithSummary("Correct the text of an agreed goal, with a reason")
            .WithDescription(Kept + " Publishes GoalCorrected, and coordination's action plan shows the corrected text.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status404NotFound);

        var review = app.MapApiGroup("/api/cases", "Corrections", Policies.PrivacyOfficer);
        review.MapGet("/persons/{id:guid}/corrections", PersonCorrections)
            .WithName("GetPersonCorrections")
            .WithSummary("Every correction of a person's records, in every household, oldest first")
            .WithDescription("For the privacy officer (any sector): field, previous and new value, reason, who, sector and when. The person's records " +
                "in other households (the same identity number) are included, each entry naming its personId. An identity number is never shown: " +
                "previousValue and newValue are null for member-identity-number. Reading it is access-logged (read, privacy-review).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        review.MapGet("/households/{householdId:guid}/corrections", HouseholdCorrections)
            .WithName("GetHouseholdCorrections")
            .WithSummary("Every correction of a household and its members' records, oldest first")
            .WithDescription("For the privacy officer (any sector), as the person's list. Reading it is access-logged (read, privacy-review).")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static async Task<Results<Created<CorrectionsDto>, ProblemHttpResult>> CorrectHousehold(
        Guid id, CorrectHousehold request, CurrentUser user, CorrectionStore store, DbSession db, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var name = errors.Text("name", request.Name, Households.Member.MaxNameLength);
        var reason = Correction.Reason(request.Reason, errors);
        if (!errors.IsValid)
        {
            return Refusal.Invalid(Correction.NotCorrected, errors).ToProblem();
        }
        return Answer(id, await store.CorrectHousehold(id, name, reason, user, await db.Connection(ct), ct));
    }

    public static async Task<Results<Created<CorrectionsDto>, ProblemHttpResult>> CorrectMember(
        Guid id, Guid personId, CorrectMember request, CurrentUser user, MemberCorrections members, DbSession db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var correction = Correction.ValidateMember(request, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), errors);
        if (correction is null)
        {
            return Refusal.Invalid(Correction.NotCorrected, errors).ToProblem();
        }
        return Answer(id, await members.Correct(id, personId, correction, user, await db.Connection(ct), ct));
    }

    private static async Task<Results<Created<CorrectionsDto>, ProblemHttpResult>> CorrectText(
        Guid id, string field, Guid subjectId, CorrectText request, CurrentUser user, CorrectionStore store, DbSession db, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (text, reason) = Correction.ValidateText(request, Correction.MaxTextLength(field), errors);
        if (!errors.IsValid)
        {
            return Refusal.Invalid(Correction.NotCorrected, errors).ToProblem();
        }
        return Answer(id, await store.CorrectText(id, field, subjectId, text, reason, user, await db.Connection(ct), ct));
    }

    public static async Task<Results<Ok<CorrectionsDto>, ProblemHttpResult>> PersonCorrections(
        Guid id, CurrentUser user, NpgsqlDataSource dataSource, AccessLog accessLog, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await AccessHistoryApi.RecordsOf(connection, id, ct) is not { } records)
        {
            return Refusal.NotFound("Person not found.", $"There is no person {id}.").ToProblem();
        }
        var history = await CorrectionStore.History(connection, [id, .. records.SamePersonIds], null, ct);
        await accessLog.WriteMany(user, records.SamePersonIds.Prepend(id).Select(p => new AccessSubject(null, p)), AccessActions.Read, Purpose, connection, ct);
        return TypedResults.Ok(new CorrectionsDto(history));
    }

    public static async Task<Results<Ok<CorrectionsDto>, ProblemHttpResult>> HouseholdCorrections(
        Guid householdId, CurrentUser user, NpgsqlDataSource dataSource, AccessLog accessLog, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var cases = (await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT id FROM cases.cases WHERE household_id = @householdId", new { householdId }, cancellationToken: ct))).AsList();
        if (cases.Count == 0)
        {
            return Refusal.NotFound("Household not found.", $"There is no household {householdId}.").ToProblem();
        }
        var history = await CorrectionStore.History(connection, null, householdId, ct);
        var subjects = cases.Select(AccessSubject.Case)
            .Concat(history.Where(c => c.PersonId is not null).Select(c => new AccessSubject(c.CaseId, c.PersonId)))
            .Distinct();
        await accessLog.WriteMany(user, subjects, AccessActions.Read, Purpose, connection, ct);
        return TypedResults.Ok(new CorrectionsDto(history));
    }

    private static Results<Created<CorrectionsDto>, ProblemHttpResult> Answer(Guid caseId, Result<CorrectionsDto> outcome) =>
        outcome.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Created($"/api/cases/{caseId}", outcome.Value!);
}
