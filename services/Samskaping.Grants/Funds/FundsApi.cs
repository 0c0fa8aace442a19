using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Samskaping.Grants.Idempotency;
using Samskaping.Grants.Ledger;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Funds;

public static class FundsApi
{
    public static void MapFundEndpoints(this IEndpointRouteBuilder app)
    {
        // Funds are the municipality's budget, not a person's data: no case access here, but who may read and who may
        // manage, each declared once.
        var funds = app.MapApiGroup("/api/grants/funds", "Funds");
        var readers = funds.MapGroup("").RequireAuthorization(GrantPolicies.FundReader);
        var managers = funds.MapGroup("").RequireAuthorization(GrantPolicies.FundManager);
        // Money in, money out and the ledger of one fund: only its managers.
        var managed = managers.MapGroup("/{fundId:guid}")
            .AddEndpointFilter(OnlyItsManagers)
            .ProducesProblem(StatusCodes.Status404NotFound);

        managers.MapPost("/", CreateFund)
            .WithName("CreateFund")
            .WithSummary("Create a fund (pott) with its first budget")
            .WithDescription("Grant-approvers create funds owned by their own sector (owner is their sector code; another owner is 403); " +
                $"admins create funds for any owner, a sector or a programme. Who manages it then: {GrantPolicies.FundManagers} " +
                "Needs an Idempotency-Key. The budget is put in by a ledger transaction from the budget source; the fund's rules " +
                $"(threshold, household cap, low-balance threshold, reporting) are fixed at creation. {AmountLimits}")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        readers.MapGet("/", ListFunds)
            .WithName("ListFunds")
            .WithSummary("The funds grants can be requested from")
            .WithDescription("Sector staff of every sector see every fund and its rules: a grant may be requested from any fund, and a fund " +
                $"is the municipality's budget, not a person's data. Balances only for the fund's managers (otherwise null): {GrantPolicies.FundManagers}");

        readers.MapGet("/{fundId:guid}", GetFund)
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
            .ProducesInvalid();

        managed.MapPost("/reallocations", Reallocate)
            .WithName("ReallocateBetweenFunds")
            .WithSummary("Move available money from this fund to another")
            .WithDescription($"Only the managers of the fund the money leaves (403 for others): {GrantPolicies.FundManagers} The receiving fund " +
                "may be any fund; the answer shows its balances only to its own managers. One ledger transaction between the two funds' " +
                $"available accounts. 409 when this fund has less available. Needs an Idempotency-Key. {AmountLimits}")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

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
    internal static async ValueTask<object?> OnlyItsManagers(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var fundId = Guid.Parse((string)http.Request.RouteValues["fundId"]!);
        var connection = await http.RequestServices.GetRequiredService<DbSession>().Connection(http.RequestAborted);
        if (await FundStore.Find(connection, null, fundId, http.RequestAborted) is not { } fund)
        {
            return FundStore.NotFound(fundId).ToProblem();
        }
        if (!GrantPolicies.ManagesFund(CurrentUser.From(http.User), fund.Owner))
        {
            return GrantPolicies.NotFundManager(fund.Owner).ToProblem();
        }
        return await next(context);
    }

    public static async Task<Results<Created<FundView>, ProblemHttpResult>> CreateFund(
        CreateFund body, [FromHeader(Name = IdempotentRequests.Header), Required, Description(IdempotentRequests.HeaderDescription), MaxLength(IdempotentRequests.MaxKeyLength)] string? idempotencyKey,
        CurrentUser user, FundStore store, CancellationToken ct)
    {
        if (IdempotentRequests.CheckKey(idempotencyKey) is { } keyRefusal)
        {
            return keyRefusal.ToProblem();
        }
        var errors = new ValidationErrors();
        var (fund, budget) = body.Validate(errors, Guid.CreateVersion7());
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The fund is not acceptable as sent.", errors).ToProblem();
        }
        if (!GrantPolicies.ManagesFund(user, fund.Owner))
        {
            return Refusal.Forbidden("A grant-approver creates funds for their own sector only.",
                $"You are a grant-approver in '{user.Sector}', and the fund would belong to '{fund.Owner}': {GrantPolicies.FundManagers}").ToProblem();
        }
        var created = await store.Create(fund, budget, idempotencyKey!, body, user, ct);
        return created.Refusal is { } refusal
            ? refusal.ToProblem()
            : TypedResults.Created($"/api/grants/funds/{created.Value!.Id}", created.Value);
    }

    public static async Task<Ok<IReadOnlyList<FundView>>> ListFunds(CurrentUser user, DbSession session, CancellationToken ct) =>
        TypedResults.Ok(await FundStore.List(await session.Connection(ct), user, ct));

    public static async Task<Results<Ok<FundView>, ProblemHttpResult>> GetFund(Guid fundId, CurrentUser user, DbSession session, CancellationToken ct) =>
        await FundStore.View(await session.Connection(ct), fundId, user, ct) is { } fund ? TypedResults.Ok(fund) : FundStore.NotFound(fundId).ToProblem();

    public static async Task<Results<Ok<FundView>, ProblemHttpResult>> TopUp(
        Guid fundId, TopUpFund body, [FromHeader(Name = IdempotentRequests.Header), Required, Description(IdempotentRequests.HeaderDescription), MaxLength(IdempotentRequests.MaxKeyLength)] string? idempotencyKey,
        CurrentUser user, FundStore store, CancellationToken ct)
    {
        if (IdempotentRequests.CheckKey(idempotencyKey) is { } keyRefusal)
        {
            return keyRefusal.ToProblem();
        }
        var errors = new ValidationErrors();
        var (amount, note) = body.Validate(errors);
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The top-up is not acceptable as sent.", errors).ToProblem();
        }
        var fund = await store.TopUp(fundId, amount, note, idempotencyKey!, body, user, ct);
        return fund.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(fund.Value);
    }

    public static async Task<Results<Ok<ReallocationView>, ProblemHttpResult>> Reallocate(
        Guid fundId, ReallocateFunds body, [FromHeader(Name = IdempotentRequests.Header), Required, Description(IdempotentRequests.HeaderDescription), MaxLength(IdempotentRequests.MaxKeyLength)] string? idempotencyKey,
        CurrentUser user, FundStore store, CancellationToken ct)
    {
        if (IdempotentRequests.CheckKey(idempotencyKey) is { } keyRefusal)
        {
            return keyRefusal.ToProblem();
        }
        var errors = new ValidationErrors();
        var (toFundId, amount, reason) = body.Validate(errors, fundId);
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The reallocation is not acceptable as sent.", errors).ToProblem();
        }
        var moved = await store.Reallocate(fundId, toFundId, amount, reason, idempotencyKey!, body, user, ct);
        return moved.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(moved.Value);
    }

    public static async Task<Ok<IReadOnlyList<LedgerTransactionView>>> GetLedger(Guid fundId, DbSession session, CancellationToken ct) =>
        TypedResults.Ok(await FundStore.LedgerOf(await session.Connection(ct), fundId, ct));
}
