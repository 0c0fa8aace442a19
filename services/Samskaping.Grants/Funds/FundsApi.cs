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
        // Money in, money out and the ledger of one fund: only its managers, declared once for the three.
        var managed = funds.MapGroup("/{fundId:guid}")
            .RequireAuthorization(GrantPolicies.FundManager)
            .AddEndpointFilter(OnlyItsManagers)
            .ProducesProblem(StatusCodes.Status404NotFound);

        funds.MapPost("/", CreateFund)
            .RequireAuthorization(GrantPolicies.FundManager)
            .WithName("CreateFund")
            .WithSummary("Create a fund (pott) with its first budget")
            .WithDescription("Grant-approvers create funds owned by their own sector (owner is their sector code; another owner is 403); " +
                $"admins create funds for any owner, a sector or a programme. Who manages it then: {GrantPolicies.FundManagers} " +
                "Needs an Idempotency-Key. The budget is put in by a ledger transaction from the budget source; the fund's rules " +
                $"(threshold, household cap, low-balance threshold, reporting) are fixed at creation. {AmountLimits}")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        funds.MapGet("/", ListFunds)
            .RequireAuthorization(GrantPolicies.FundReader)
            .WithName("ListFunds")
            .WithSummary("The funds grants can be requested from")
            .WithDescription("Sector staff of every sector see every fund and its rules: a grant may be requested from any fund, and a fund " +
                $"is the municipality's budget, not a person's data. Balances only for the fund's managers (otherwise null): {GrantPolicies.FundManagers}");

        funds.MapGet("/{fundId:guid}", GetFund)
            .RequireAuthorization(GrantPolicies.FundReader)
            .WithName("GetFund")
            .WithSummary("One fund")
            .WithDescription("Its rules for every sector's staff; balances (budget, available, reserved, paid, remaining) only for the " +
                $"fund's managers (otherwise null): {GrantPolicies.FundManagers}")
            .ProducesProblem(StatusCodes.Status404NotFound);

        managed.MapPost("/top-ups", TopUp)
            .WithName("TopUpFund")
            .WithSummary("Put more money into a fund")
            .WithDescription($"Only the fund's managers (403 for others, who can see the fund exists): {GrantPolicies.FundManagers} " +
                "A ledger transaction from the budget source to the fund's available account; never an edit. Needs an Idempotency-Key. " +
                $"{AmountLimits}")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        managed.MapPost("/reallocations", Reallocate)
            .WithName("ReallocateBetweenFunds")
            .WithSummary("Move available money from this fund to another")
            .WithDescription($"Only the managers of the fund the money leaves (403 for others): {GrantPolicies.FundManagers} The receiving fund " +
                "may be any fund; the answer shows its balances only to its own managers. One ledger transaction between the two funds' " +
                $"available accounts. 409 when this fund has less available. Needs an Idempotency-Key. {AmountLimits}")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        managed.MapGet("/ledger", GetLedger)
            .WithName("GetFundLedger")
            .WithSummary("The fund's ledger: every transaction and its entries")
            .WithDescription($"Only the fund's managers (403 for others): {GrantPolicies.FundManagers} " +
                "Append-only double entry: each transaction's entries sum to zero.");
    }

    private static readonly string AmountLimits = string.Create(CultureInfo.InvariantCulture, $"Each amount is at most {Money.MaxAmount:F2} NOK. ")
        + new OverLimit().Describe() + " Past a limit: 422 naming the field.";

    /// <summary>
    /// Only the fund's managers go on: 404 when there is no such fund, 403 when the caller does not manage it (every
    /// sector's staff sees the list of funds, so the 403 tells nothing they could not see). A fund's owner never changes.
    /// </summary>
    private static async ValueTask<object?> OnlyItsManagers(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var fundId = Guid.Parse((string)http.Request.RouteValues["fundId"]!);
        if (await http.RequestServices.GetRequiredService<FundStore>().Find(fundId, http.RequestAborted) is not { } fund)
        {
            return GrantsProblems.FundNotFound(fundId);
        }
        if (!GrantPolicies.ManagesFund(CurrentUser.From(http.User), fund.Owner))
        {
            return GrantsProblems.NotFundManager(fund.Owner);
        }
        return await next(context);
    }

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
        if (!GrantPolicies.ManagesFund(user, fund.Owner))
        {
            return GrantsProblems.Forbidden("A grant-approver creates funds for their own sector only.",
                $"You are a grant-approver in '{user.Sector}', and the fund would belong to '{fund.Owner}': {GrantPolicies.FundManagers}");
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
        TypedResults.Ok(await store.List(user, ct));

    public static async Task<Results<Ok<FundView>, ProblemHttpResult>> GetFund(Guid fundId, CurrentUser user, FundStore store, CancellationToken ct) =>
        await store.View(fundId, user, null, ct) is { } fund ? TypedResults.Ok(fund) : GrantsProblems.FundNotFound(fundId);

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
            var to = await store.View(toFundId, user, tx, ct);
            return Answer.Done(new ReallocationView(from!, to!));
        }, ct);
        return answer.Problem is { } problem ? problem : TypedResults.Ok(answer.Value);
    }

    public static async Task<Ok<IReadOnlyList<LedgerTransactionView>>> GetLedger(Guid fundId, FundStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.LedgerOf(fundId, ct));
}
