using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.Cases.PersonalData;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Households;

/// <summary>POST /api/cases/persons/lookup: the identity number in the body, never in the URL.</summary>
public sealed record LookupPerson([property: MaxLength(Samskaping.ServiceDefaults.IdentityNumber.MaxInputLength)] string? IdentityNumber);

public static class HouseholdsApi
{
    public static void MapHouseholdEndpoints(this IEndpointRouteBuilder app)
    {
        var households = app.MapApiGroup("/api/cases", "Households", Policies.CaseWorker);
        var members = households.MapGroup("/{id:guid}/members").RequireCaseAccess("id");

        members.MapPost("", AddMember)
            .WithName("AddHouseholdMember")
            .WithSummary("Add a person to the case's household")
            .WithDescription("role: guardian, parent, child, youth or other-adult. identityNumber (fødselsnummer or D-number) is optional, " +
                "validated with both check digits and its birth date, stored encrypted and never answered back. The household keeps its own " +
                "record of the person (name, birth date, personId) as given here, also when the number is known in another household: " +
                "alsoInOtherHousehold tells only that it is. guardians lists members of this household who are the new member's guardians. " +
                "Publishes HouseholdMemberAdded (without name or number).")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        members.MapPost("/{personId:guid}/guardians", AddGuardian)
            .WithName("AddGuardian")
            .WithSummary("Record that another member of the household is this member's guardian")
            .WithDescription("For a child added before their guardian. A guardian gives consent for a child under 15.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        households.MapPost("/persons/lookup", LookupPerson)
            .WithName("LookupPerson")
            .WithSummary("Is this person already known? By national identity number, in the body")
            .WithDescription("Answers with the cases (and households) the caller may see, each with the personId its household knows the " +
                "person by; 404 when the person is unknown or only in cases the caller may not see (the two cannot be told apart, not " +
                "even by time). Found by a keyed hash, without decrypting anything. Access-logged, also when nothing is found.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static async Task<Results<Created<MemberDto>, ProblemHttpResult>> AddMember(
        Guid id, AddMember request, CurrentUser user, HouseholdStore store, DbSession db, TimeProvider clock, CancellationToken ct)
    {
        var (member, errors) = Member.Validate(request, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        if (member is null)
        {
            return Refusal.Invalid("The member could not be added.", errors).ToProblem();
        }
        var outcome = await store.AddMember(id, member, user, await db.Connection(ct), ct);
        return outcome.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Created($"/api/cases/{id}", outcome.Value!);
    }

    public static async Task<Results<Created<GuardianshipDto>, ProblemHttpResult>> AddGuardian(
        Guid id, Guid personId, AddGuardian request, CurrentUser user, HouseholdStore store, DbSession db, CancellationToken ct)
    {
        if (request.GuardianId is not { } guardianId)
        {
            return Refusal.Unprocessable("The guardian could not be recorded.", "guardianId", "Required: the person id of a member of the household.").ToProblem();
        }
        var outcome = await store.AddGuardian(id, personId, guardianId, user, await db.Connection(ct), ct);
        return outcome.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Created($"/api/cases/{id}", outcome.Value!);
    }

    public static async Task<Results<Ok<KnownPersonDto>, ProblemHttpResult>> LookupPerson(
        LookupPerson request, CurrentUser user, HouseholdStore store, CancellationToken ct)
    {
        var number = IdentityNumber.Parse(request.IdentityNumber, out var why);
        if (number is null)
        {
            return Refusal.Unprocessable("The person could not be looked up.", "identityNumber", request.IdentityNumber is null ? "Required." : why!).ToProblem();
        }
        var cases = await store.Lookup(number, user, ct);
        return cases.Count == 0
            ? Refusal.NotFound("Person not found.", "No person with this identity number is in a case your sector takes part in.").ToProblem()
            : TypedResults.Ok(new KnownPersonDto(cases));
    }
}
