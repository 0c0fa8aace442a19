using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Internal;

/// <summary>A household member with the identity number in clear, for another Samskaping service only.</summary>
public sealed record InternalMember(Guid PersonId, string Role, DateOnly BirthDate, string? IdentityNumber);

/// <summary>The person the NAV-style benefit system knows a case by (søker).</summary>
public sealed record InternalApplicant(Guid PersonId, string IdentityNumber);

public sealed record ResolvePerson([property: MaxLength(Samskaping.ServiceDefaults.IdentityNumber.MaxInputLength)] string? IdentityNumber);

public sealed record InternalMembership(Guid PersonId, Guid HouseholdId, IReadOnlyList<Guid> CaseIds);

/// <summary>
/// Service-to-service endpoints under <c>/internal/cases</c>: the benefits service needs identity numbers to talk
/// to the benefit system, and nothing else may have them. Only a service token (<see cref="Policies.Service"/>)
/// gets in; the gateway routes <c>/api/…</c> only, so these are unreachable from outside. Every answer is a read of
/// people's data and is access-logged with the purpose the calling service gives in <c>X-Access-Purpose</c>, and,
/// when it reads for a worker, that worker and case (<see cref="OnBehalfOf"/>'s headers).
/// </summary>
public static class InternalApi
{
    public const string PurposeHeader = "X-Access-Purpose";

    public static void MapInternalEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/internal/cases", "Internal (service-to-service)", Policies.Service);

        group.MapGet("/households/{householdId:guid}/members", Members)
            .WithName("InternalHouseholdMembers")
            .WithSummary("A household's members with their identity numbers, for the benefits service")
            .WithDescription($"Needs the {PurposeHeader} header (1–200 characters): it is written to the access log for every member returned. " +
                $"A read for a worker names them in {OnBehalfOf.SubjectHeader}, {OnBehalfOf.SectorHeader} and {OnBehalfOf.CaseHeader} " +
                "(one of the household's cases), all three or none; the access log keeps them with each member.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/cases/{caseId:guid}/applicant", Applicant)
            .WithName("InternalCaseApplicant")
            .WithSummary("The case's applicant (søker) for the Digisos status feed")
            .WithDescription("The household's earliest-added adult (parent, guardian or other adult) with an identity number. " +
                $"404 when the case is unknown or has no such member yet. Needs {PurposeHeader}.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/persons/resolve", Resolve)
            .WithName("InternalResolvePerson")
            .WithSummary("Which households and cases a person with this identity number belongs to")
            .WithDescription("The identity number goes in the body, never in the URL. One entry per household, with the personId that " +
                $"household knows the person by (each household keeps its own record). An unknown person is an empty list. Needs {PurposeHeader}.")
            .ProducesInvalid();
    }

    public static async Task<Results<Ok<IReadOnlyList<InternalMember>>, ProblemHttpResult>> Members(
        Guid householdId, HttpRequest request, CurrentUser caller, InternalStore store, CancellationToken ct)
    {
        if (ReadFor(request, ref caller, out var purpose) is { } invalid)
        {
            return invalid.ToProblem();
        }
        var members = await store.Members(householdId, caller, purpose, ct);
        return members.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(members.Value!);
    }

    public static async Task<Results<Ok<InternalApplicant>, ProblemHttpResult>> Applicant(
        Guid caseId, HttpRequest request, CurrentUser caller, InternalStore store, CancellationToken ct)
    {
        if (ReadFor(request, ref caller, out var purpose) is { } invalid)
        {
            return invalid.ToProblem();
        }
        var applicant = await store.Applicant(caseId, caller, purpose, ct);
        return applicant.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(applicant.Value!);
    }

    public static async Task<Results<Ok<IReadOnlyList<InternalMembership>>, ProblemHttpResult>> Resolve(
        ResolvePerson body, HttpRequest request, CurrentUser caller, InternalStore store, CancellationToken ct)
    {
        if (ReadFor(request, ref caller, out var purpose) is { } invalid)
        {
            return invalid.ToProblem();
        }
        var number = IdentityNumber.Parse(body.IdentityNumber, out var why);
        if (number is null)
        {
            return Refusal.Unprocessable("The person could not be resolved.", "identityNumber", body.IdentityNumber is null ? "Required." : why!).ToProblem();
        }
        return TypedResults.Ok(await store.Resolve(number, caller, purpose, ct));
    }

    /// <summary>Why the calling service reads, and for which worker and case if it reads for one: both go to the access log.</summary>
    private static Refusal? ReadFor(HttpRequest request, ref CurrentUser caller, out string purpose)
    {
        purpose = request.Headers[PurposeHeader].ToString().Trim();
        if (purpose.Length is < 1 or > 200)
        {
            return Refusal.Unprocessable("The purpose of the read is missing.", PurposeHeader, "Required: why the data is read (1–200 characters); it goes to the access log.");
        }
        if (OnBehalfOf.Read(request.Headers, out var onBehalfOf) is { } unclear)
        {
            return unclear;
        }
        caller = caller with { ActingFor = onBehalfOf };
        return null;
    }
}
