using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Samskaping.Access;
using Samskaping.Grants.Idempotency;
using Samskaping.Grants.Ledger;
using Samskaping.Grants.Requests;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Disbursements;

/// <summary>The transitions of a planned disbursement (utbetaling): paid, stopped, cancelled.</summary>
public static class DisbursementsApi
{
    public static void MapDisbursementEndpoints(this IEndpointRouteBuilder app)
    {
        var disbursements = app.MapApiGroup("/api/grants/disbursements", "Grants", Policies.SectorStaff);

        disbursements.MapPost("/{disbursementId:guid}/paid", MarkPaid)
            .WithName("MarkDisbursementPaid")
            .WithSummary("Record that a planned disbursement was paid (date and payment reference)")
            .WithDescription("Reserved → paid in the ledger. 409 when it is not planned. paidOn is the day the money left the municipality's " +
                $"account: at most {Disbursements.MarkPaid.MaxDaysAhead} days after today (a payment run booked for its value date), " +
                "otherwise 422. Needs an Idempotency-Key.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        disbursements.MapPost("/{disbursementId:guid}/stop", Stop)
            .WithName("StopDisbursement")
            .WithSummary("Stop a planned disbursement, with a reason")
            .WithDescription("Reserved → available in the ledger; the household's cap is given back. Needs an Idempotency-Key.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        disbursements.MapPost("/{disbursementId:guid}/cancel", Cancel)
            .WithName("CancelDisbursement")
            .WithSummary("Cancel (annul) a planned disbursement, with a reason")
            .WithDescription("Reserved → available in the ledger; the household's cap is given back. Needs an Idempotency-Key.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    public static async Task<Results<Ok<GrantView>, ProblemHttpResult>> MarkPaid(
        Guid disbursementId, MarkPaid body, [FromHeader(Name = IdempotentRequests.Header), Required, Description(IdempotentRequests.HeaderDescription), MaxLength(IdempotentRequests.MaxKeyLength)] string? idempotencyKey,
        CurrentUser user, CaseAccess access, DisbursementStore store, IdempotentRequests idempotency, AccessLog accessLog, TimeProvider clock,
        CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (paidOn, reference) = body.Validate(errors, DateOnly.FromDateTime(clock.Now().UtcDateTime));
        return await Transition(disbursementId, idempotencyKey, "paid", body, errors, user, access, store, idempotency, accessLog,
            (tx, d, ct) => store.Pay(tx, d, paidOn, reference, user.Subject, ct), ct);
    }

    public static async Task<Results<Ok<GrantView>, ProblemHttpResult>> Stop(
        Guid disbursementId, EndDisbursement body, [FromHeader(Name = IdempotentRequests.Header), Required, Description(IdempotentRequests.HeaderDescription), MaxLength(IdempotentRequests.MaxKeyLength)] string? idempotencyKey,
        CurrentUser user, CaseAccess access, DisbursementStore store, IdempotentRequests idempotency, AccessLog accessLog, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var reason = body.Validate(errors);
        return await Transition(disbursementId, idempotencyKey, "stop", body, errors, user, access, store, idempotency, accessLog,
            (tx, d, ct) => store.End(tx, d, DisbursementStatuses.Stopped, reason, user.Subject, ct), ct);
    }

    public static async Task<Results<Ok<GrantView>, ProblemHttpResult>> Cancel(
        Guid disbursementId, EndDisbursement body, [FromHeader(Name = IdempotentRequests.Header), Required, Description(IdempotentRequests.HeaderDescription), MaxLength(IdempotentRequests.MaxKeyLength)] string? idempotencyKey,
        CurrentUser user, CaseAccess access, DisbursementStore store, IdempotentRequests idempotency, AccessLog accessLog, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var reason = body.Validate(errors);
        return await Transition(disbursementId, idempotencyKey, "cancel", body, errors, user, access, store, idempotency, accessLog,
            (tx, d, ct) => store.End(tx, d, DisbursementStatuses.Cancelled, reason, user.Subject, ct), ct);
    }

    private static async Task<Results<Ok<GrantView>, ProblemHttpResult>> Transition(
        Guid disbursementId, string? idempotencyKey, string action, object body, ValidationErrors errors, CurrentUser user,
        CaseAccess access, DisbursementStore store, IdempotentRequests idempotency, AccessLog accessLog,
        Func<NpgsqlTransaction, DisbursementRow, CancellationToken, Task<Posting?>> move, CancellationToken ct)
    {
        if (IdempotentRequests.CheckKey(idempotencyKey) is { } keyProblem)
        {
            return keyProblem;
        }
        if (await access.Visible(await store.CaseOf(disbursementId, ct), user, ct) is not { } caseId)
        {
            return GrantsProblems.DisbursementNotFound(disbursementId);
        }
        if (!errors.IsValid)
        {
            return GrantsProblems.Invalid(errors);
        }

        var answer = await idempotency.Run<GrantView>(idempotencyKey!, user, $"POST /api/grants/disbursements/{disbursementId}/{action}", body, async (tx, ct) =>
        {
            var disbursement = (await DisbursementStore.Lock(tx, disbursementId, ct))!;
            if (await move(tx, disbursement, ct) is not { } posting)
            {
                return GrantsProblems.Conflict("The disbursement is not planned.", $"It is {disbursement.Status}; only a planned disbursement can change.");
            }
            await accessLog.Write(user, caseId, null, AccessActions.Update, $"disbursement {action}", tx, ct);
            var view = (await GrantStore.View(tx, disbursement.GrantId, ct))!;
            // The ledger posting last, sent with COMMIT (the fund's account rows are locked for the commit only).
            return Answer.Done(view).PostingLast(posting, refusal => throw DisbursementStore.Broken(disbursement, refusal));
        }, ct);
        return answer.Problem is { } problem ? problem : TypedResults.Ok(answer.Value);
    }
}
