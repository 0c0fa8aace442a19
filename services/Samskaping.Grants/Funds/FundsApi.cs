using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Samskaping.Grants.Idempotency;
using Samskaping.Grants.Ledger;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Funds;

public sealed record ReallocationView(FundView From, FundView To);

public static class FundsApi
{
    public static void MapFundEndpoints(this IEndpointRouteBuilder app)
    {
        var funds = app.MapApiGroup("/api/grants/funds", "Funds");

        funds.MapPost("/", CreateFund)
            .RequireAuthorization(GrantPolicies.FundManager)
            .WithName("CreateFund")
            .WithSummary("Create a fund (pott) with its first budget")
            .WithDescription("Grant-approvers and admins. Needs an Idempotency-Key. The budget is put in by a ledger transaction " +
                "from the budget source; the fund's rules (threshold, household cap, low-balance threshold, reporting) are fixed at creation. " +
                AmountLimits)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        funds.MapGet("/", ListFunds)
            .RequireAuthorization(GrantPolicies.FundReader)
            .WithName("ListFunds")
            .WithSummary("The funds grants can be requested from")
            .WithDescription("Sector staff see each fund's rules; grant-approvers and admins also see its balances.");

        funds.MapGet("/{fundId:guid}", GetFund)
            .RequireAuthorization(GrantPolicies.FundReader)
            .WithName("GetFund")
            .WithSummary("One fund")
            .WithDescription("Balances (budget, available, reserved, paid, remaining) for grant-approvers and admins.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        funds.MapPost("/{fundId:guid}/top-ups", TopUp)
            .RequireAuthorization(GrantPolicies.FundManager)
            .WithName("TopUpFund")
            .WithSummary("Put more money into a fund")
            .WithDescription("A ledger transaction from the budget source to the fund's available account; never an edit. Needs an Idempotency-Key. " +
                AmountLimits)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        funds.MapPost("/{fundId:guid}/reallocations", Reallocate)
            .RequireAuthorization(GrantPolicies.FundManager)
            .WithName("ReallocateBetweenFunds")
            .WithSummary("Move available money from this fund to another")
            .WithDescription("One ledger transaction between the two funds' available accounts. 409 when this fund has less available. " +
                $"Needs an Idempotency-Key. {AmountLimits}")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        funds.MapGet("/{fundId:guid}/ledger", GetLedger)
            .RequireAuthorization(GrantPolicies.FundManager)
            .WithName("GetFundLedger")
            .WithSummary("The fund's ledger: every transaction and its entries")
            .WithDescription("Append-only double entry: each transaction's entries sum to zero.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static readonly string AmountLimits = string.Create(CultureInfo.InvariantCulture, $"Each amount is at most {Money.MaxAmount:F2} NOK. ")
        + new OverLimit().Describe() + " Past a limit: 422 naming the field.";

    public static async Task<Results<Created<FundView>, ProblemHttpResult>> CreateFund(
        CreateFund body, [FromHeader(Name = IdempotentRequests.Header), Required, Description(IdempotentRequests.HeaderDescription), MaxLength(IdempotentRequests.MaxKeyLength)] string? idempotencyKey,
        CurrentUser user, FundStore store, IdempotentRequests idempotency, CancellationToken ct)
    {
        if (IdempotentRequests.CheckKey(idempotencyKey) is { } keyProblem)
        {
            return keyProblem;
        }
        var errors = new ValidationErrors();
        var (fund, budget) = body.Validate(errors, Guid.CreateVersion7());
        if (!errors.IsValid)
        {
            return GrantsProblems.Invalid(errors);
        }

        var answer = await idempotency.Run<FundView>(idempotencyKey!, user, "POST /api/grants/funds", body, async (tx, ct) =>
        {
            if (!await store.Create(fund, budget, user, tx, ct))
            {
                return GrantsProblems.Conflict("A fund with this name exists.", $"Choose another name than '{fund.Name}'.");
            }
            var view = await store.View(fund.Id, withBalances: true, tx, ct);
            return Answer.Done(view!, $"/api/grants/funds/{fund.Id}");
        }, ct);
        return answer.Problem is { } problem ? problem : TypedResults.Created(answer.Location, answer.Value);
    }

    public static async Task<Ok<IReadOnlyList<FundView>>> ListFunds(CurrentUser user, FundStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.List(GrantPolicies.SeesBalances(user), ct));

    public static async Task<Results<Ok<FundView>, ProblemHttpResult>> GetFund(Guid fundId, CurrentUser user, FundStore store, CancellationToken ct) =>
        await store.View(fundId, GrantPolicies.SeesBalances(user), null, ct) is { } fund ? TypedResults.Ok(fund) : GrantsProblems.FundNotFound(fundId);

    public static async Task<Results<Ok<FundView>, ProblemHttpResult>> TopUp(
        Guid fundId, TopUpFund body, [FromHeader(Name = IdempotentRequests.Header), Required, Description(IdempotentRequests.HeaderDescription), MaxLength(IdempotentRequests.MaxKeyLength)] string? idempotencyKey,
        CurrentUser user, FundStore store, FundLedger ledger, IdempotentRequests idempotency, CancellationToken ct)
    {
        if (IdempotentRequests.CheckKey(idempotencyKey) is { } keyProblem)
        {
            return keyProblem;
        }
        var errors = new ValidationErrors();
        var (amount, note) = body.Validate(errors);
        if (!errors.IsValid)
        {
            return GrantsProblems.Invalid(errors);
        }

        var answer = await idempotency.Run<FundView>(idempotencyKey!, user, $"POST /api/grants/funds/{fundId}/top-ups", body, async (tx, ct) =>
        {
            if (await FundStore.Find(tx.Connection!, tx, fundId, ct) is null)
            {
                return GrantsProblems.FundNotFound(fundId);
            }
            if (await ledger.Post(tx, LedgerKinds.TopUp, note, user.Subject,
                [new Leg(fundId, AccountKinds.BudgetSource, -amount), new Leg(fundId, AccountKinds.Available, amount)], null, null, ct) is { } refusal)
            {
                return GrantsProblems.Refused(refusal, "amount");
            }
            return Answer.Done((await store.View(fundId, withBalances: true, tx, ct))!);
        }, ct);
        return answer.Problem is { } problem ? problem : TypedResults.Ok(answer.Value);
    }

    public static async Task<Results<Ok<ReallocationView>, ProblemHttpResult>> Reallocate(
        Guid fundId, ReallocateFunds body, [FromHeader(Name = IdempotentRequests.Header), Required, Description(IdempotentRequests.HeaderDescription), MaxLength(IdempotentRequests.MaxKeyLength)] string? idempotencyKey,
        CurrentUser user, FundStore store, FundLedger ledger, IdempotentRequests idempotency, CancellationToken ct)
    {
        if (IdempotentRequests.CheckKey(idempotencyKey) is { } keyProblem)
        {
            return keyProblem;
        }
        var errors = new ValidationErrors();
        var (toFundId, amount, reason) = body.Validate(errors, fundId);
        if (!errors.IsValid)
        {
            return GrantsProblems.Invalid(errors);
        }

        var answer = await idempotency.Run<ReallocationView>(idempotencyKey!, user, $"POST /api/grants/funds/{fundId}/reallocations", body, async (tx, ct) =>
        {
            if (await FundStore.Find(tx.Connection!, tx, fundId, ct) is null)
            {
                return GrantsProblems.FundNotFound(fundId);
            }
            if (await FundStore.Find(tx.Connection!, tx, toFundId, ct) is null)
            {
                return GrantsProblems.Invalid("toFundId", $"There is no fund {toFundId}.");
            }
            if (await ledger.Post(tx, LedgerKinds.Reallocation, reason, user.Subject,
                [new Leg(fundId, AccountKinds.Available, -amount), new Leg(toFundId, AccountKinds.Available, amount)], null, null, ct) is { } refusal)
            {
                return GrantsProblems.Refused(refusal, "amount");
            }
            var from = await store.View(fundId, withBalances: true, tx, ct);
            var to = await store.View(toFundId, withBalances: true, tx, ct);
            return Answer.Done(new ReallocationView(from!, to!));
        }, ct);
        return answer.Problem is { } problem ? problem : TypedResults.Ok(answer.Value);
    }

    public static async Task<Results<Ok<IReadOnlyList<LedgerTransactionView>>, ProblemHttpResult>> GetLedger(
        Guid fundId, FundStore store, CancellationToken ct)
    {
        if (await store.Find(fundId, ct) is null)
        {
            return GrantsProblems.FundNotFound(fundId);
        }
        return TypedResults.Ok(await store.LedgerOf(fundId, ct));
    }
}
