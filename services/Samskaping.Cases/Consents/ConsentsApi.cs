using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Consents;

public static class ConsentsApi
{
    public static void MapConsentEndpoints(this IEndpointRouteBuilder app)
    {
        var consents = app.MapApiGroup("/api/cases/{id:guid}/consents", "Consents").RequireCaseAccess("id");
        // Every sector's staff in the case reads its consents; caseworkers and coordinators record and withdraw them.
        var readers = consents.MapGroup("").RequireAuthorization(Policies.SectorStaff);
        var workers = consents.MapGroup("").RequireAuthorization(Policies.CaseWorker);

        workers.MapPost("", GiveConsent)
            .WithName("GiveConsent")
            .WithSummary("Record a consent (samtykke) for the case")
            .WithDescription("personId's data, given by givenByPersonId: the person themselves from 15, a guardian of the child (in the household) " +
                "under 15. Scoped to sectors × purposes × dataCategories, valid from validFrom (default now) to validTo (default until withdrawn). " +
                "Takes effect on access at once. Publishes ConsentGiven.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        readers.MapGet("", GetConsents)
            .WithName("GetConsents")
            .WithSummary("The case's full consent history, newest first, with each consent's state");

        workers.MapPost("/{consentId:guid}/withdrawal", WithdrawConsent)
            .WithName("WithdrawConsent")
            .WithSummary("Withdraw a consent, with a reason")
            .WithDescription("A consent is never edited: to change it, withdraw it and record a new one. A second withdrawal is 409. " +
                "Sectors no longer covered lose access at once. Publishes ConsentWithdrawn.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static async Task<Results<Created<ConsentDto>, ProblemHttpResult>> GiveConsent(
        Guid id, GiveConsent request, CurrentUser user, ConsentStore store, DbSession db, TimeProvider clock, CancellationToken ct)
    {
        var (scope, errors) = ConsentRules.Validate(request, clock.Now());
        if (scope is null)
        {
            return Refusal.Invalid("The consent could not be recorded.", errors).ToProblem();
        }
        var outcome = await store.Give(id, scope, user, await db.Connection(ct), ct);
        return outcome.Refusal is { } refusal
            ? refusal.ToProblem()
            : TypedResults.Created($"/api/cases/{id}/consents", outcome.Value!);
    }

    public static async Task<Ok<IReadOnlyList<ConsentDto>>> GetConsents(
        Guid id, CurrentUser user, ConsentStore store, DbSession db, AccessLog accessLog, CancellationToken ct)
    {
        var connection = await db.Connection(ct);
        var history = await store.History(id, connection, ct);
        await accessLog.WriteMany(user, history.Select(c => new AccessSubject(id, c.PersonId)), AccessActions.Read, "read consents", connection, ct);
        return TypedResults.Ok(history);
    }

    public static async Task<Results<Ok<ConsentDto>, ProblemHttpResult>> WithdrawConsent(
        Guid id, Guid consentId, WithdrawConsent request, CurrentUser user, ConsentStore store, DbSession db, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var reason = errors.Text("reason", request.Reason, ConsentRules.MaxReasonLength);
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The consent could not be withdrawn.", errors).ToProblem();
        }
        var outcome = await store.Withdraw(id, consentId, reason, user, await db.Connection(ct), ct);
        return outcome.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(outcome.Value!);
    }
}
