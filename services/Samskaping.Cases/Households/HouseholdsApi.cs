using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.Cases.PersonalData;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Households;

/// <summary>POST /api/cases/persons/lookup: the identity number in the body, never in the URL.</summary>
public sealed record LookupPerson([property: MaxLength(Samskaping.ServiceDefaults.IdentityNumber.MaxInputLength)] string? IdentityNumber);

public static class HouseholdsApi
{
    public static void MapHouseholdEndpoints(this IEndpointRouteBuilder app)
    {
        var households = app.MapApiGroup("/api/cases", "Households");

        households.MapPost("/{id:guid}/members", AddMember)
            .RequireAuthorization(Policies.CaseWorker)
            .WithName("AddHouseholdMember")
            .WithSummary("Add a person to the case's household")
            .WithDescription("role: guardian, parent, child, youth or other-adult. identityNumber (fødselsnummer or D-number) is optional, " +
                "validated with both check digits and its birth date, stored encrypted and never answered back. The household keeps its own " +
                "record of the person (name, birth date, personId) as given here, also when the number is known in another household: " +
                "alsoInOtherHousehold tells only that it is. guardians lists members of this household who are the new member's guardians. " +
                "Publishes HouseholdMemberAdded (without name or number).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        households.MapPost("/{id:guid}/members/{personId:guid}/guardians", AddGuardian)
            .RequireAuthorization(Policies.CaseWorker)
            .WithName("AddGuardian")
            .WithSummary("Record that another member of the household is this member's guardian")
            .WithDescription("For a child added before their guardian. A guardian gives consent for a child under 15.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        households.MapPost("/persons/lookup", LookupPerson)
            .RequireAuthorization(Policies.CaseWorker)
            .WithName("LookupPerson")
            .WithSummary("Is this person already known? By national identity number, in the body")
            .WithDescription("Answers with the cases (and households) the caller may see, each with the personId its household knows the " +
                "person by; 404 when the person is unknown or only in cases the caller may not see (the two cannot be told apart, not " +
                "even by time). Found by a keyed hash, without decrypting anything. Access-logged, also when nothing is found.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static async Task<Results<Created<MemberDto>, ValidationProblem, ProblemHttpResult>> AddMember(
        Guid id, AddMember request, CurrentUser user, HouseholdStore store, CaseAccess access, TimeProvider clock, CancellationToken ct)
    {
        if (!await access.CanSee(id, user, ct))
        {
            return ApiGroups.CaseNotFound(id);
        }
        var (member, errors) = Member.Validate(request, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        if (member is null)
        {
            return errors.Problem("The member could not be added.");
        }
        var outcome = await store.AddMember(id, member, user, ct);
        return outcome.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Created($"/api/cases/{id}", outcome.Value!);
    }

    public static async Task<Results<Created<GuardianshipDto>, ValidationProblem, ProblemHttpResult>> AddGuardian(
        Guid id, Guid personId, AddGuardian request, CurrentUser user, HouseholdStore store, CaseAccess access, CancellationToken ct)
    {
        if (!await access.CanSee(id, user, ct))
        {
            return ApiGroups.CaseNotFound(id);
        }
        if (request.GuardianId is not { } guardianId)
        {
            var errors = new ValidationErrors();
            errors.Add("guardianId", "Required: the person id of a member of the household.");
            return errors.Problem("The guardian could not be recorded.");
        }
        var outcome = await store.AddGuardian(id, personId, guardianId, user, ct);
        return outcome.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Created($"/api/cases/{id}", outcome.Value!);
    }

    public static async Task<Results<Ok<KnownPersonDto>, ValidationProblem, ProblemHttpResult>> LookupPerson(
        LookupPerson request, CurrentUser user, HouseholdStore store, CancellationToken ct)
    {
        var number = IdentityNumber.Parse(request.IdentityNumber, out var why);
        if (number is null)
        {
            var errors = new ValidationErrors();
            errors.Add("identityNumber", request.IdentityNumber is null ? "Required." : why!);
            return errors.Problem("The person could not be looked up.");
        }
        var cases = await store.Lookup(number, user, ct);
        return cases.Count == 0
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Person not found.",
                detail: "No person with this identity number is in a case your sector takes part in.")
            : TypedResults.Ok(new KnownPersonDto(cases));
    }
}
