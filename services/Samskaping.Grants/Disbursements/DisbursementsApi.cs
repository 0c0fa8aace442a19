using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Samskaping.Access;
using Samskaping.Grants.Idempotency;
using Samskaping.Grants.Requests;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Disbursements;

/// <summary>The transitions of a planned disbursement (utbetaling): paid, stopped, cancelled.</summary>
public static class DisbursementsApi
{
    public static void MapDisbursementEndpoints(this IEndpointRouteBuilder app)
    {
        // A disbursement's case decides who sees it: missing and hidden are the same 404.
        var disbursements = app.MapApiGroup("/api/grants/disbursements/{disbursementId:guid}", "Grants", Policies.SectorStaff)
            .RequireCaseAccess("disbursementId", DisbursementStore.CaseOf, DisbursementStore.NotFound);

        disbursements.MapPost("/paid", MarkPaid)
            .WithName("MarkDisbursementPaid")
            .WithSummary("Record that a planned disbursement was paid (date and payment reference)")
            .WithDescription("Reserved → paid in the ledger. 409 when it is not planned. paidOn is the day the money left the municipality's " +
                $"account: at most {Disbursements.MarkPaid.MaxDaysAhead} days after today (a payment run booked for its value date), " +
                "otherwise 422. Needs an Idempotency-Key.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        disbursements.MapPost("/stop", Stop)
            .WithName("StopDisbursement")
            .WithSummary("Stop a planned disbursement, with a reason")
            .WithDescription("Reserved → available in the ledger; the household's cap is given back. Needs an Idempotency-Key.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        disbursements.MapPost("/cancel", Cancel)
            .WithName("CancelDisbursement")
            .WithSummary("Cancel (annul) a planned disbursement, with a reason")
            .WithDescription("Reserved → available in the ledger; the household's cap is given back. Needs an Idempotency-Key.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static async Task<Results<Ok<GrantView>, ProblemHttpResult>> MarkPaid(
        Guid disbursementId, MarkPaid body, [FromHeader(Name = IdempotentRequests.Header), Required, Description(IdempotentRequests.HeaderDescription), MaxLength(IdempotentRequests.MaxKeyLength)] string? idempotencyKey,
        CurrentUser user, DisbursementStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (paidOn, reference) = body.Validate(errors, DateOnly.FromDateTime(clock.Now().UtcDateTime));
        return Refused(idempotencyKey, errors) is { } refused
            ? refused.ToProblem()
            : Ok(await store.Pay(disbursementId, paidOn, reference, idempotencyKey!, body, user, ct));
    }

    public static async Task<Results<Ok<GrantView>, ProblemHttpResult>> Stop(
        Guid disbursementId, EndDisbursement body, [FromHeader(Name = IdempotentRequests.Header), Required, Description(IdempotentRequests.HeaderDescription), MaxLength(IdempotentRequests.MaxKeyLength)] string? idempotencyKey,
        CurrentUser user, DisbursementStore store, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var reason = body.Validate(errors);
        return Refused(idempotencyKey, errors) is { } refused
            ? refused.ToProblem()
            : Ok(await store.Stop(disbursementId, reason, idempotencyKey!, body, user, ct));
    }

    public static async Task<Results<Ok<GrantView>, ProblemHttpResult>> Cancel(
        Guid disbursementId, EndDisbursement body, [FromHeader(Name = IdempotentRequests.Header), Required, Description(IdempotentRequests.HeaderDescription), MaxLength(IdempotentRequests.MaxKeyLength)] string? idempotencyKey,
        CurrentUser user, DisbursementStore store, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var reason = body.Validate(errors);
        return Refused(idempotencyKey, errors) is { } refused
            ? refused.ToProblem()
            : Ok(await store.Cancel(disbursementId, reason, idempotencyKey!, body, user, ct));
    }

    /// <summary>A missing or unusable key first (400 naming the header), then the body's values.</summary>
    private static Refusal? Refused(string? idempotencyKey, ValidationErrors errors) =>
        IdempotentRequests.CheckKey(idempotencyKey)
        ?? (errors.IsValid ? null : Refusal.Invalid("The disbursement change is not acceptable as sent.", errors));

    private static Results<Ok<GrantView>, ProblemHttpResult> Ok(Result<GrantView> result) =>
        result.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(result.Value);
}
