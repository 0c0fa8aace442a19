using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Consents;

public static class ConsentsApi
{
    public static void MapConsentEndpoints(this IEndpointRouteBuilder app)
    {
        var consents = app.MapApiGroup("/api/cases/{id:guid}/consents", "Consents");

        consents.MapPost("", GiveConsent)
            .RequireAuthorization(Policies.CaseWorker)
            .WithName("GiveConsent")
            .WithSummary("Record a consent (samtykke) for the case")
            .WithDescription("personId's data, given by givenByPersonId: the person themselves from 15, a guardian of the child (in the household) " +
                "under 15. Scoped to sectors × purposes × dataCategories, valid from validFrom (default now) to validTo (default until withdrawn). " +
                "Takes effect on access at once. Publishes ConsentGiven.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        consents.MapGet("", GetConsents)
            .RequireAuthorization(Policies.SectorStaff)
            .WithName("GetConsents")
            .WithSummary("The case's full consent history, newest first, with each consent's state")
            .ProducesProblem(StatusCodes.Status404NotFound);

        consents.MapPost("/{consentId:guid}/withdrawal", WithdrawConsent)
            .RequireAuthorization(Policies.CaseWorker)
            .WithName("WithdrawConsent")
            .WithSummary("Withdraw a consent, with a reason")
            .WithDescription("A consent is never edited: to change it, withdraw it and record a new one. A second withdrawal is 409. " +
                "Sectors no longer covered lose access at once. Publishes ConsentWithdrawn.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static async Task<Results<Created<ConsentDto>, ValidationProblem, ProblemHttpResult>> GiveConsent(
        Guid id, GiveConsent request, CurrentUser user, ConsentStore store, CaseAccess access, TimeProvider clock, CancellationToken ct)
    {
        if (!await access.CanSee(id, user, ct))
        {
            return ApiGroups.CaseNotFound(id);
        }
        var (scope, errors) = ConsentRules.Validate(request, clock.Now());
        if (scope is null)
        {
            return errors.Problem("The consent could not be recorded.");
        }
        var outcome = await store.Give(id, scope, user, ct);
        return outcome.Refusal is { } refusal
            ? refusal.ToProblem()
            : TypedResults.Created($"/api/cases/{id}/consents", outcome.Value!);
    }

    public static async Task<Results<Ok<IReadOnlyList<ConsentDto>>, ProblemHttpResult>> GetConsents(
        Guid id, CurrentUser user, ConsentStore store, CaseAccess access, AccessLog accessLog, CancellationToken ct)
    {
        if (!await access.CanSee(id, user, ct))
        {
            return ApiGroups.CaseNotFound(id);
        }
        var history = await store.History(id, ct);
        foreach (var person in history.Select(c => c.PersonId).Distinct())
        {
            await accessLog.Write(user, id, person, AccessActions.Read, "read consents", ct);
        }
        return TypedResults.Ok(history);
    }

    public static async Task<Results<Ok<ConsentDto>, ValidationProblem, ProblemHttpResult>> WithdrawConsent(
        Guid id, Guid consentId, WithdrawConsent request, CurrentUser user, ConsentStore store, CaseAccess access, CancellationToken ct)
    {
        if (!await access.CanSee(id, user, ct))
        {
            return ApiGroups.CaseNotFound(id);
        }
        var errors = new ValidationErrors();
        var reason = errors.Text("reason", request.Reason, ConsentRules.MaxReasonLength);
        if (!errors.IsValid)
        {
            return errors.Problem("The consent could not be withdrawn.");
        }
        var outcome = await store.Withdraw(id, consentId, reason, user, ct);
        return outcome.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(outcome.Value!);
    }
}
