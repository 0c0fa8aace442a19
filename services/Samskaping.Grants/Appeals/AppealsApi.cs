using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Samskaping.Access;
using Samskaping.Grants.Idempotency;
using Samskaping.Grants.Letters;
using Samskaping.Grants.Requests;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Appeals;

public static class AppealsApi
{
    public static void MapAppealEndpoints(this IEndpointRouteBuilder app)
    {
        var grants = app.MapApiGroup("/api/grants", "Appeals", Policies.SectorStaff);
        var ofGrant = grants.MapGroup("/grants/{grantId:guid}/appeals").RequireCaseAccess("grantId", GrantStore.CaseOf, GrantStore.NotFound);
        var appeal = grants.MapGroup("/appeals/{appealId:guid}").RequireCaseAccess("appealId", AppealProceedings.CaseOf, AppealProceedings.NotFound);

        ofGrant.MapPost("", Register)
            .WithName("RegisterAppeal")
            .WithSummary("Register an appeal (klage) on the grant's decision in force")
            .WithDescription("receivedOn (the day it reached the municipality), appellant (in whose name), text (the family's words). The " +
                "answer says the deadline from the decision's letter and whether the appeal is late. 409 when the grant has no decision " +
                "yet or an appeal on it is open already.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        ofGrant.MapGet("", ForGrant)
            .WithName("ListAppeals")
            .WithSummary("The grant's appeals, oldest first");

        grants.MapGet("/appeals/waiting", Waiting)
            .WithName("AppealsWaiting")
            .WithSummary("My work: appeals waiting for the decision-maker (received) or for statsforvalteren (forwarded)")
            .WithDescription("In the cases the caller's sector takes part in; each case listed is access-logged.");

        appeal.MapGet("", Get)
            .WithName("GetAppeal")
            .WithSummary("An appeal and where it stands");

        appeal.MapPost("/reverse", Reverse)
            .WithName("ReverseOnAppeal")
            .WithSummary("Change the appealed decision in the family's favour: a new decision and a new letter that replaces the appealed one")
            .WithDescription("A refusal becomes a grant; a partly granted decision (delvis innvilget) grants more. reason (required: the " +
                "new letter's reasons) and optionally amount: on a refusal less than asked for, on a partly granted decision the new amount " +
                "(at least 1 NOK more than granted, at most what was asked for; 422 naming amount otherwise); left out, everything asked " +
                "for. The approval's rules apply to the new amount (four eyes above the threshold: 403; household cap, the fund's money: " +
                "409). The increase of a partly granted decision raises its planned payment, or is one more payment when that has left " +
                "for the bank already; GrantIncreased announces it. Needs an Idempotency-Key. 409 when the appeal was dealt with, the " +
                "appealed decision was replaced, or it granted everything asked for.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        appeal.MapPost("/forward", Forward)
            .WithName("ForwardAppeal")
            .WithSummary("Keep the decision and send the appeal to statsforvalteren")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        appeal.MapPost("/outcome", RecordOutcome)
            .WithName("RecordAppealOutcome")
            .WithSummary("Record statsforvalteren's outcome of a forwarded appeal: upheld, changed, quashed or dismissed")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static async Task<Results<Created<AppealView>, ProblemHttpResult>> Register(
        Guid grantId, RegisterAppeal body, CurrentUser user, AppealProceedings appeals, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (receivedOn, appellant, text) = body.Validate(errors, NorwegianCalendar.DayOf(clock.Now()));
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The appeal is not acceptable as sent.", errors).ToProblem();
        }
        var registered = await appeals.Register(grantId, receivedOn, appellant, text, user, ct);
        return registered.Refusal is { } refusal
            ? refusal.ToProblem()
            : TypedResults.Created($"/api/grants/appeals/{registered.Value!.Id}", registered.Value);
    }

    public static async Task<Ok<IReadOnlyList<AppealView>>> ForGrant(Guid grantId, CurrentUser user, AppealProceedings appeals, DbSession session, CancellationToken ct) =>
        TypedResults.Ok(await appeals.ForGrant(await session.Connection(ct), grantId, user, ct));

    public static async Task<Ok<IReadOnlyList<AppealView>>> Waiting(CurrentUser user, AppealProceedings appeals, DbSession session, CancellationToken ct) =>
        TypedResults.Ok(await appeals.Waiting(await session.Connection(ct), user, ct));

    public static async Task<Ok<AppealView>> Get(Guid appealId, CurrentUser user, AppealProceedings appeals, DbSession session, CancellationToken ct) =>
        TypedResults.Ok(await appeals.Read(await session.Connection(ct), appealId, user, ct));

    public static async Task<Results<Ok<AppealView>, ProblemHttpResult>> Reverse(
        Guid appealId, ReverseDecision body,
        [FromHeader(Name = IdempotentRequests.Header), Required, Description(IdempotentRequests.HeaderDescription), MaxLength(IdempotentRequests.MaxKeyLength)] string? idempotencyKey,
        CurrentUser user, AppealProceedings appeals, CancellationToken ct)
    {
        if (IdempotentRequests.CheckKey(idempotencyKey) is { } keyRefusal)
        {
            return keyRefusal.ToProblem();
        }
        var errors = new ValidationErrors();
        var amount = body.Amount is null ? (decimal?)null : errors.Positive("amount", body.Amount);
        var reason = errors.Text("reason", body.Reason, ReverseDecision.MaxReasonLength);
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The reversal is not acceptable as sent.", errors).ToProblem();
        }
        var reversed = await appeals.Reverse(appealId, new ApprovalTerms(amount, reason), idempotencyKey!, user, ct);
        return reversed.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(reversed.Value);
    }

    public static async Task<Results<Ok<AppealView>, ProblemHttpResult>> Forward(
        Guid appealId, ForwardAppeal? body, CurrentUser user, AppealProceedings appeals, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var note = errors.OptionalText("note", body?.Note, ForwardAppeal.MaxNoteLength);
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The forwarding is not acceptable as sent.", errors).ToProblem();
        }
        var forwarded = await appeals.Forward(appealId, note, user, ct);
        return forwarded.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(forwarded.Value);
    }

    public static async Task<Results<Ok<AppealView>, ProblemHttpResult>> RecordOutcome(
        Guid appealId, RecordAppealOutcome body, CurrentUser user, AppealProceedings appeals, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (outcome, decidedOn, note) = body.Validate(errors, NorwegianCalendar.DayOf(clock.Now()));
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The outcome is not acceptable as sent.", errors).ToProblem();
        }
        var recorded = await appeals.RecordOutcome(appealId, outcome, decidedOn, note, user, ct);
        return recorded.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(recorded.Value);
    }
}
