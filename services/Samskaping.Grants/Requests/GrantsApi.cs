using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Samskaping.Access;
using Samskaping.Grants.Idempotency;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Requests;

/// <summary>The household's current benefits from the NAV-style system, when known.</summary>
/// <param name="Source">Where the list comes from and as of when, or why it is not known.</param>
public sealed record CurrentBenefits(bool Known, string Source, IReadOnlyList<BenefitItem> Items);

/// <summary>What a worker sees when deciding a grant.</summary>
public sealed record DecisionView(
    GrantView Grant,
    string FundName,
    decimal FundAvailable,
    decimal ApprovalThreshold,
    bool NeedsSecondApprover,
    decimal HouseholdCap,
    decimal HouseholdCommitted,
    decimal HouseholdRemaining,
    CurrentBenefits CurrentBenefits)
{
    public static DecisionView Of(GrantDecisionFacts facts, CurrentBenefits current) => new(
        facts.Grant, facts.Fund.Name, facts.Fund.Balances!.Available, facts.Fund.ApprovalThreshold,
        facts.Grant.Amount > facts.Fund.ApprovalThreshold, facts.Fund.HouseholdCap, facts.HouseholdCommitted,
        facts.Fund.HouseholdCap - facts.HouseholdCommitted, current);
}

public static class GrantsApi
{
    public static void MapGrantRequestEndpoints(this IEndpointRouteBuilder app)
    {
        var grants = app.MapApiGroup("/api/grants", "Grants", Policies.SectorStaff);
        // A grant's case decides who sees it: missing and hidden are the same 404.
        var grant = grants.MapGroup("/grants/{grantId:guid}").RequireCaseAccess("grantId", GrantStore.CaseOf, GrantStore.NotFound);

        grants.MapPost("/cases/{caseId:guid}/grants", RequestGrant)
            .RequireCaseAccess()
            .WithName("RequestGrant")
            .WithSummary("Request a grant for a case's household")
            .WithDescription("The purpose in the family's own words; the payee is the family (account number) or a third party " +
                "(organisation number and account); one-off (optional dueOn) or instalments that sum to the amount. Needs an Idempotency-Key. " +
                "Only for workers whose sector takes part in the case (otherwise 404).")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        grants.MapGet("/approvals/waiting", AwaitingSecondApproval)
            .WithName("GrantsAwaitingSecondApproval")
            .WithSummary("Grants waiting for a second approver: requested, above their fund's threshold")
            .WithDescription("In the cases the caller's sector takes part in, oldest first; each case listed is access-logged. Only a " +
                "grant-approver who did not request a grant may approve it (POST …/approve).");

        grant.MapGet("", GetGrant)
            .WithName("GetGrant")
            .WithSummary("A grant with its payment plan and disbursements");

        grant.MapGet("/decision", GetDecision)
            .WithName("GetGrantDecisionView")
            .WithSummary("What a decision needs: the grant, the fund's threshold and availability, the household's cap, current benefits")
            .WithDescription("currentBenefits comes live from the benefits service (the benefit system's look-up, with the caller's own token): "
                + "known: true with items per member, or known: false with the reason in source when benefits or the benefit system is "
                + "unavailable; the view itself still answers.");

        grant.MapPost("/approve", Approve)
            .WithName("ApproveGrant")
            .WithSummary("Approve a grant: reserve the money, plan its disbursements and issue the decision letter")
            .WithDescription("Without a body, everything asked for is granted; with {amount, reason}, less (delvis innvilget, one-off grants only; " +
                "the reason is required and goes into the letter). The decision letter (PDF/A) is issued in the same transaction. At or below the fund's threshold a worker of a participating sector decides alone. Above it, a grant-approver " +
                "who is not the requester must approve (403 otherwise). The household cap and the fund's available amount are enforced " +
                "in the database (409 when exceeded). Needs an Idempotency-Key (422 when the caller used it for another request).")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        grant.MapPost("/decline", Decline)
            .WithName("DeclineGrant")
            .WithSummary("Decline a requested grant, with a reason, and issue the decision letter")
            .WithDescription("outcome avslatt (refused, the default) or avvist (dismissed without consideration); the reason goes into the letter. Moves no money.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static async Task<Results<Created<GrantView>, ProblemHttpResult>> RequestGrant(
        Guid caseId, RequestGrant body, [FromHeader(Name = IdempotentRequests.Header), Required, Description(IdempotentRequests.HeaderDescription), MaxLength(IdempotentRequests.MaxKeyLength)] string? idempotencyKey,
        CurrentUser user, GrantDecisions decisions, CancellationToken ct)
    {
        if (IdempotentRequests.CheckKey(idempotencyKey) is { } keyRefusal)
        {
            return keyRefusal.ToProblem();
        }
        var errors = new ValidationErrors();
        var request = body.Validate(errors);
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The grant request is not acceptable as sent.", errors).ToProblem();
        }
        var requested = await decisions.Request(caseId, request, idempotencyKey!, body, user, ct);
        return requested.Refusal is { } refusal
            ? refusal.ToProblem()
            : TypedResults.Created($"/api/grants/grants/{requested.Value!.Id}", requested.Value);
    }

    public static async Task<Ok<IReadOnlyList<GrantView>>> AwaitingSecondApproval(
        CurrentUser user, GrantStore store, CaseAccess access, DbSession session, CancellationToken ct) =>
        TypedResults.Ok(await store.AwaitingSecondApproval(await session.Connection(ct), access, user, ct));

    public static async Task<Ok<GrantView>> GetGrant(
        Guid grantId, CurrentUser user, GrantStore store, DbSession session, CancellationToken ct) =>
        TypedResults.Ok(await store.Read(await session.Connection(ct), grantId, user, ct));

    public static async Task<Ok<DecisionView>> GetDecision(
        Guid grantId, CurrentUser user, GrantStore store, DbSession session, CurrentBenefitsClient benefits,
        HttpRequest request, CancellationToken ct)
    {
        var facts = await store.ReadForDecision(await session.Connection(ct), grantId, user, ct);
        var current = await benefits.For(facts.Grant.HouseholdId, request.Headers.Authorization, ct);
        return TypedResults.Ok(DecisionView.Of(facts, current));
    }

    public static async Task<Results<Ok<GrantView>, ProblemHttpResult>> Approve(
        Guid grantId, [FromBody] ApproveGrant? body, [FromHeader(Name = IdempotentRequests.Header), Required, Description(IdempotentRequests.HeaderDescription), MaxLength(IdempotentRequests.MaxKeyLength)] string? idempotencyKey,
        CurrentUser user, GrantDecisions decisions, CancellationToken ct)
    {
        if (IdempotentRequests.CheckKey(idempotencyKey) is { } keyRefusal)
        {
            return keyRefusal.ToProblem();
        }
        var errors = new ValidationErrors();
        var terms = (body ?? new ApproveGrant(null, null)).Validate(errors);
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The approval is not acceptable as sent.", errors).ToProblem();
        }
        var approved = await decisions.Approve(grantId, terms, idempotencyKey!, user, ct);
        return approved.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(approved.Value);
    }

    public static async Task<Results<Ok<GrantView>, ProblemHttpResult>> Decline(
        Guid grantId, DeclineGrant body, CurrentUser user, GrantDecisions decisions, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var terms = body.Validate(errors);
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The decline is not acceptable as sent.", errors).ToProblem();
        }
        var declined = await decisions.Decline(grantId, terms, user, ct);
        return declined.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(declined.Value);
    }
}
