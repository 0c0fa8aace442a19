using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Samskaping.Access;
using Samskaping.Contracts.Grants;
using Samskaping.Grants.Disbursements;
using Samskaping.Grants.Funds;
using Samskaping.Grants.Idempotency;
using Samskaping.Grants.Ledger;
using Samskaping.Messaging.Outbox;
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
    CurrentBenefits CurrentBenefits);

public static class GrantsApi
{
    public static void MapGrantRequestEndpoints(this IEndpointRouteBuilder app)
    {
        var grants = app.MapApiGroup("/api/grants", "Grants", Policies.SectorStaff);

        grants.MapPost("/cases/{caseId:guid}/grants", RequestGrant)
            .WithName("RequestGrant")
            .WithSummary("Request a grant for a case's household")
            .WithDescription("The purpose in the family's own words; the payee is the family (account number) or a third party " +
                "(organisation number and account); one-off (optional dueOn) or instalments that sum to the amount. Needs an Idempotency-Key. " +
                "Only for workers whose sector takes part in the case (otherwise 404).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        grants.MapGet("/grants/{grantId:guid}", GetGrant)
            .WithName("GetGrant")
            .WithSummary("A grant with its payment plan and disbursements")
            .ProducesProblem(StatusCodes.Status404NotFound);

        grants.MapGet("/grants/{grantId:guid}/decision", GetDecision)
            .WithName("GetGrantDecisionView")
            .WithSummary("What a decision needs: the grant, the fund's threshold and availability, the household's cap, current benefits")
            .WithDescription("currentBenefits comes live from the benefits service (the benefit system's look-up, with the caller's own token): "
                + "known: true with items per member, or known: false with the reason in source when benefits or the benefit system is "
                + "unavailable; the view itself still answers.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        grants.MapPost("/grants/{grantId:guid}/approve", Approve)
            .WithName("ApproveGrant")
            .WithSummary("Approve a grant: reserve the money and plan its disbursements")
            .WithDescription("At or below the fund's threshold a worker of a participating sector decides alone. Above it, a grant-approver " +
                "who is not the requester must approve (403 otherwise). The household cap and the fund's available amount are enforced " +
                "in the database (409 when exceeded). Needs an Idempotency-Key (422 when the caller used it for another request).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        grants.MapPost("/grants/{grantId:guid}/decline", Decline)
            .WithName("DeclineGrant")
            .WithSummary("Decline a requested grant, with a reason")
            .WithDescription("Moves no money.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    public static async Task<Results<Created<GrantView>, ProblemHttpResult>> RequestGrant(
        Guid caseId, RequestGrant body, [FromHeader(Name = IdempotentRequests.Header), Required, Description(IdempotentRequests.HeaderDescription), MaxLength(IdempotentRequests.MaxKeyLength)] string? idempotencyKey,
        CurrentUser user, CaseAccess access, IdempotentRequests idempotency, Outbox outbox, AccessLog accessLog, TimeProvider clock,
        CancellationToken ct)
    {
        if (IdempotentRequests.CheckKey(idempotencyKey) is { } keyProblem)
        {
            return keyProblem;
        }
        if (!await access.CanSee(caseId, user, ct))
        {
            return ApiGroups.CaseNotFound(caseId);
        }
        var errors = new ValidationErrors();
        var request = body.Validate(errors);
        if (!errors.IsValid)
        {
            return GrantsProblems.Invalid(errors);
        }

        var answer = await idempotency.Run<GrantView>(idempotencyKey!, user, $"POST /api/grants/cases/{caseId}/grants", body, async (tx, ct) =>
        {
            var now = clock.Now();
            var facts = await GrantStore.CaseFacts(tx.Connection!, tx, caseId, ct);
            if (facts is not { Opened: true })
            {
                return ApiGroups.CaseNotFound(caseId);
            }
            if (facts.ClosedAt is not null)
            {
                return GrantsProblems.Conflict("The case is closed.", "Grants cannot be requested for a closed case.");
            }
            var fund = await FundStore.Find(tx.Connection!, tx, request.FundId, ct);
            if (fund is null)
            {
                return GrantsProblems.Invalid("fundId", $"There is no fund {request.FundId}.");
            }
            if (!fund.IsOpenOn(DateOnly.FromDateTime(now.UtcDateTime)))
            {
                return GrantsProblems.Conflict("The fund's period does not include today.",
                    $"Fund '{fund.Name}' runs from {fund.PeriodStart:yyyy-MM-dd} until {fund.PeriodEnd:yyyy-MM-dd} (exclusive).");
            }
            var grantId = Guid.CreateVersion7(now);
            await GrantStore.Insert(tx, grantId, facts, request, user, now, ct);
            await outbox.Enqueue(new GrantRequested(caseId, grantId, facts.HouseholdId, fund.Id, request.Amount, request.Purpose,
                request.Category, user.Subject, user.Sector, now, fund.ReportToBenefitSystem), tx, ct);
            await accessLog.Write(user, caseId, null, AccessActions.Create, "request grant", tx, ct);
            return Answer.Done((await GrantStore.View(tx, grantId, ct))!, $"/api/grants/grants/{grantId}");
        }, ct);
        return answer.Problem is { } problem ? problem : TypedResults.Created(answer.Location, answer.Value);
    }

    public static async Task<Results<Ok<GrantView>, ProblemHttpResult>> GetGrant(
        Guid grantId, CurrentUser user, CaseAccess access, GrantStore store, AccessLog accessLog, CancellationToken ct)
    {
        if (await VisibleCase(grantId, user, access, store, ct) is not { } caseId || await store.View(grantId, ct) is not { } grant)
        {
            return GrantsProblems.GrantNotFound(grantId);
        }
        await accessLog.Write(user, caseId, null, AccessActions.Read, "read grant", ct);
        return TypedResults.Ok(grant);
    }

    public static async Task<Results<Ok<DecisionView>, ProblemHttpResult>> GetDecision(
        Guid grantId, CurrentUser user, CaseAccess access, GrantStore store, FundStore funds, AccessLog accessLog,
        NpgsqlDataSource dataSource, CurrentBenefitsClient benefits, HttpContext http, CancellationToken ct)
    {
        if (await VisibleCase(grantId, user, access, store, ct) is not { } caseId || await store.View(grantId, ct) is not { } grant)
        {
            return GrantsProblems.GrantNotFound(grantId);
        }
        var fund = (await funds.View(grant.FundId, withBalances: true, null, ct))!;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var committed = await GrantStore.HouseholdCommitted(connection, grant.FundId, grant.HouseholdId, ct);
        await accessLog.Write(user, caseId, null, AccessActions.Read, "grant decision view", ct);
        var current = await benefits.For(grant.HouseholdId, http.Request.Headers.Authorization, ct);
        return TypedResults.Ok(new DecisionView(
            grant, fund.Name, fund.Balances!.Available, fund.ApprovalThreshold, grant.Amount > fund.ApprovalThreshold,
            fund.HouseholdCap, committed, fund.HouseholdCap - committed, current));
    }

    public static async Task<Results<Ok<GrantView>, ProblemHttpResult>> Approve(
        Guid grantId, [FromHeader(Name = IdempotentRequests.Header), Required, Description(IdempotentRequests.HeaderDescription), MaxLength(IdempotentRequests.MaxKeyLength)] string? idempotencyKey,
        CurrentUser user, CaseAccess access, GrantStore store, IdempotentRequests idempotency, FundLedger ledger,
        DisbursementStore disbursements, Outbox outbox, AccessLog accessLog, TimeProvider clock, CancellationToken ct)
    {
        if (IdempotentRequests.CheckKey(idempotencyKey) is { } keyProblem)
        {
            return keyProblem;
        }
        if (await VisibleCase(grantId, user, access, store, ct) is not { } caseId)
        {
            return GrantsProblems.GrantNotFound(grantId);
        }

        var answer = await idempotency.Run<GrantView>(idempotencyKey!, user, $"POST /api/grants/grants/{grantId}/approve", new { grantId }, async (tx, ct) =>
        {
            var now = clock.Now();
            var grant = (await GrantStore.Lock(tx, grantId, ct))!;
            var fund = (await FundStore.Find(tx.Connection!, tx, grant.FundId, ct))!;
            var rule = Decisions.Approval(grant.Status, grant.RequestedBy, grant.Amount, fund, user);
            switch (rule)
            {
                case ApprovalRule.AlreadyDecided:
                    return GrantsProblems.Conflict("The grant has been decided already.", $"It is {grant.Status}.");
                case ApprovalRule.NeedsGrantApprover:
                    return GrantsProblems.Forbidden("Four eyes: a grant-approver must approve this amount.",
                        $"{grant.Amount:F2} NOK is above the fund's threshold of {fund.ApprovalThreshold:F2} NOK.");
                case ApprovalRule.RequesterCannotApprove:
                    return GrantsProblems.Forbidden("Four eyes: you requested this grant, so you cannot approve it.",
                        $"{grant.Amount:F2} NOK is above the fund's threshold of {fund.ApprovalThreshold:F2} NOK: another grant-approver must approve it.");
            }
            if ((await GrantStore.CaseFacts(tx.Connection!, tx, grant.CaseId, ct))?.ClosedAt is not null)
            {
                return GrantsProblems.Conflict("The case is closed.", "Grants of a closed case cannot be approved.");
            }
            if (await GrantStore.CommitToHousehold(tx, grant.FundId, grant.HouseholdId, grant.Amount, ct) is { } committed)
            {
                return GrantsProblems.Conflict("The household cap would be exceeded.",
                    $"The household has {committed:F2} NOK of the fund's cap of {fund.HouseholdCap:F2} NOK this period; {grant.Amount:F2} NOK more does not fit.");
            }
            var (decidedBy, second) = rule == ApprovalRule.SecondApprover ? (grant.RequestedBy, user.Subject) : (user.Subject, (string?)null);
            await GrantStore.MarkApproved(tx, grantId, decidedBy, second, now, ct);
            await outbox.Enqueue(new GrantApproved(grant.CaseId, grant.Id, grant.FundId, grant.Amount, decidedBy, second, now), tx, ct);
            await disbursements.Plan(tx, grant, await GrantStore.Instalments(tx, grantId, ct), fund, now, ct);
            await accessLog.Write(user, caseId, null, AccessActions.Update, "approve grant", tx, ct);
            var view = (await GrantStore.View(tx, grantId, ct))!;
            // The reservation last, sent with COMMIT: the fund's available account is the contended row, so its lock
            // is held for the commit only. Too little money rolls the whole approval back into a 409.
            var reserve = ledger.Prepare(LedgerKinds.Reserve, "approved grant", user.Subject,
                [new Leg(grant.FundId, AccountKinds.Available, -grant.Amount), new Leg(grant.FundId, AccountKinds.Reserved, grant.Amount)],
                grant.Id, null);
            return Answer.Done(view).PostingLast(reserve, refusal => GrantsProblems.Refused(refusal, "amount"));
        }, ct);
        return answer.Problem is { } problem ? problem : TypedResults.Ok(answer.Value);
    }

    public static async Task<Results<Ok<GrantView>, ProblemHttpResult>> Decline(
        Guid grantId, DeclineGrant body, CurrentUser user, CaseAccess access, GrantStore store, NpgsqlDataSource dataSource,
        Outbox outbox, AccessLog accessLog, TimeProvider clock, CancellationToken ct)
    {
        if (await VisibleCase(grantId, user, access, store, ct) is not { } caseId)
        {
            return GrantsProblems.GrantNotFound(grantId);
        }
        var errors = new ValidationErrors();
        var reason = body.Validate(errors);
        if (!errors.IsValid)
        {
            return GrantsProblems.Invalid(errors);
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.Now();
        var grant = (await GrantStore.Lock(tx, grantId, ct))!;
        if (grant.Status != GrantStatuses.Requested)
        {
            return GrantsProblems.Conflict("The grant has been decided already.", $"It is {grant.Status}.");
        }
        await GrantStore.MarkDeclined(tx, grantId, user.Subject, reason, now, ct);
        await outbox.Enqueue(new GrantDeclined(grant.CaseId, grant.Id, grant.FundId, reason, user.Subject, now), tx, ct);
        await accessLog.Write(user, caseId, null, AccessActions.Update, "decline grant", tx, ct);
        var view = (await GrantStore.View(tx, grantId, ct))!;
        await tx.CommitAsync(ct);
        return TypedResults.Ok(view);
    }

    private static async Task<Guid?> VisibleCase(Guid grantId, CurrentUser user, CaseAccess access, GrantStore store, CancellationToken ct) =>
        await access.Visible(await store.CaseOf(grantId, ct), user, ct);
}
