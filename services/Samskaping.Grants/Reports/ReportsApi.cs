using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Samskaping.Access;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Reports;

/// <summary>A fund's status: what was put in, what is reserved for approved grants, what was paid, and what remains.</summary>
/// <param name="Suppressed">The fund's grants went to fewer households than the minimum cell: reserved, paid and remaining
/// (budget − reserved − paid) are not shown, since they would be those few households' amounts.</param>
public sealed record FundStatusRow(Guid FundId, string Name, string Owner, DateOnly PeriodStart, DateOnly PeriodEnd,
    bool Suppressed, decimal Budget, decimal? Reserved, decimal? Paid, decimal? Remaining);

/// <summary>Approved grants of a fund by the requesting sector, category and month of approval (aggregates only).</summary>
/// <param name="Suppressed">Hidden by small-cell suppression: every number is null.</param>
/// <param name="Households">How many households the row's grants went to.</param>
public sealed record SpendingRow(Guid FundId, string FundName, string Sector, string Category, string Month,
    bool Suppressed, int? Households, int? Grants, decimal? Approved, decimal? Paid, decimal? Reserved, decimal? Released);

/// <summary>One grant of a household over time.</summary>
public sealed record HouseholdGrantRow(Guid GrantId, Guid CaseId, Guid FundId, string FundName, DateTimeOffset RequestedAt, string Status,
    DateTimeOffset? DecidedAt, decimal Amount, decimal Paid, string? Category, string Purpose);

public static class ReportsApi
{
    public static void MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        var reports = app.MapApiGroup("/api/grants/reports", "Reports");
        var aggregates = reports.MapGroup("").RequireAuthorization(GrantPolicies.Reports);
        // A household's grants lie in several cases: the query keeps those the caller may see (CaseAccess.VisiblePredicate),
        // so there is no one case to require access to.
        var households = reports.MapGroup("/households").RequireAuthorization(Policies.SectorStaff);

        aggregates.MapGet("/funds", FundStatus)
            .WithName("FundStatusReport")
            .WithSummary("Every fund's budget, reserved, paid and remaining amount")
            .WithDescription("""
                JSON, or CSV with ?format=csv or Accept: text/csv. Grant-approvers, admins and analysts. A fund whose approved grants
                went to 1 to Grants:Reports:MinimumCellSize − 1 (4) households shows its budget only (suppressed: true): its reserved,
                paid and remaining would be those households' amounts. Exact balances are on GET /api/grants/funds/{fundId} for fund managers.
                """)
            .Produces<string>(StatusCodes.Status200OK, Csv.MediaType)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);

        aggregates.MapGet("/spending", Spending)
            .WithName("SpendingReport")
            .WithSummary("Approved grants by fund, requesting sector, category and month")
            .WithDescription("""
                Aggregates only (no case, household or person). Optional fundId. JSON, or CSV with ?format=csv or Accept: text/csv.
                Small-cell suppression per fund, as in the outcomes reports: a row whose grants went to fewer than Grants:Reports:MinimumCellSize
                (5) households is listed with suppressed: true and no numbers, and so are the next smallest rows of the fund until the hidden
                rows are at least two and together cover the minimum of households, so the fund's total (the fund status report) minus the
                shown rows never gives a hidden row away. A fund with fewer households in all has every row hidden.
                """)
            .Produces<string>(StatusCodes.Status200OK, Csv.MediaType)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);

        households.MapGet("/{householdId:guid}", HouseholdGrants)
            .WithName("HouseholdGrantsReport")
            .WithSummary("A household's grants over time, in the cases the caller may see")
            .WithDescription("Sector staff only (analysts see aggregates only); 404 when none of the household's cases is visible. Access-logged.")
            .Produces<string>(StatusCodes.Status200OK, Csv.MediaType)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
    }

    public static async Task<Results<Ok<IReadOnlyList<FundStatusRow>>, ContentHttpResult, ProblemHttpResult>> FundStatus(
        [Description(ReportFormat), AllowedValues("json", "csv")] string? format, HttpRequest request, DbSession session,
        IOptions<ReportOptions> options, CancellationToken ct)
    {
        if (BadFormat(format) is { } refusal)
        {
            return refusal.ToProblem();
        }
        var connection = await session.Connection(ct);
        var rows = (await connection.QueryAsync<FundStatusDbRow>(new CommandDefinition(
            """
            SELECT f.id AS FundId, f.name AS Name, f.owner AS Owner, f.period_start AS PeriodStart, f.period_end AS PeriodEnd,
                   b.available AS Available, b.reserved AS Reserved, b.paid AS Paid,
                   (SELECT count(DISTINCT g.household_id) FROM grants.grants g WHERE g.fund_id = f.id AND g.status = 'approved')::int AS Households
            FROM grants.funds f JOIN grants.fund_balances b ON b.fund_id = f.id
            ORDER BY f.period_start DESC, f.name
            """, cancellationToken: ct)))
            .Select(r => SmallCells.IsSmall(r.Households, options.Value.MinimumCellSize)
                ? new FundStatusRow(r.FundId, r.Name, r.Owner, r.PeriodStart, r.PeriodEnd, true, r.Available + r.Reserved + r.Paid, null, null, null)
                : new FundStatusRow(r.FundId, r.Name, r.Owner, r.PeriodStart, r.PeriodEnd, false, r.Available + r.Reserved + r.Paid, r.Reserved, r.Paid, r.Available))
            .ToList();
        return Csv.Wanted(request, format) ? TypedResults.Text(Csv.Write(rows), Csv.MediaType) : TypedResults.Ok<IReadOnlyList<FundStatusRow>>(rows);
    }

    public static async Task<Results<Ok<IReadOnlyList<SpendingRow>>, ContentHttpResult, ProblemHttpResult>> Spending(
        [Description("Only this fund.")] Guid? fundId, [Description(ReportFormat), AllowedValues("json", "csv")] string? format, HttpRequest request, DbSession session,
        IOptions<ReportOptions> options, CancellationToken ct)
    {
        if (BadFormat(format) is { } refusal)
        {
            return refusal.ToProblem();
        }
        var connection = await session.Connection(ct);
        var cells = (await connection.QueryAsync<SpendingCell>(new CommandDefinition(
            """
            SELECT g.fund_id AS FundId, f.name AS FundName, g.requested_by_sector AS Sector, coalesce(g.category, 'uncategorised') AS Category,
                   to_char(g.decided_at AT TIME ZONE 'UTC', 'YYYY-MM') AS Month, array_agg(DISTINCT g.household_id) AS Households,
                   count(*)::int AS Grants, sum(g.amount) AS Approved,
                   coalesce(sum(d.paid), 0) AS Paid, coalesce(sum(d.reserved), 0) AS Reserved, coalesce(sum(d.released), 0) AS Released
            FROM grants.grants g
            JOIN grants.funds f ON f.id = g.fund_id
            LEFT JOIN LATERAL (
                SELECT sum(amount) FILTER (WHERE status = 'paid') AS paid,
                       sum(amount) FILTER (WHERE status = 'planned') AS reserved,
                       sum(amount) FILTER (WHERE status IN ('stopped', 'cancelled')) AS released
                FROM grants.disbursements WHERE grant_id = g.id) d ON true
            WHERE g.status = 'approved' AND (@fundId::uuid IS NULL OR g.fund_id = @fundId)
            GROUP BY g.fund_id, f.name, g.requested_by_sector, coalesce(g.category, 'uncategorised'), to_char(g.decided_at AT TIME ZONE 'UTC', 'YYYY-MM')
            ORDER BY f.name, g.fund_id, Month, Sector, Category
            """, new { fundId }, cancellationToken: ct))).ToList();
        var rows = SpendingReport.Publish(cells, options.Value.MinimumCellSize);
        return Csv.Wanted(request, format) ? TypedResults.Text(Csv.Write(rows), Csv.MediaType) : TypedResults.Ok<IReadOnlyList<SpendingRow>>(rows);
    }

    public static async Task<Results<Ok<IReadOnlyList<HouseholdGrantRow>>, ContentHttpResult, ProblemHttpResult>> HouseholdGrants(
        Guid householdId, [Description(ReportFormat), AllowedValues("json", "csv")] string? format, HttpRequest request, CurrentUser user, CaseAccess access, AccessLog accessLog,
        DbSession session, CancellationToken ct)
    {
        if (BadFormat(format) is { } refusal)
        {
            return refusal.ToProblem();
        }
        var connection = await session.Connection(ct);
        var rows = (await connection.QueryAsync<HouseholdDbRow>(new CommandDefinition(
            $"""
            SELECT g.id AS GrantId, g.case_id AS CaseId, g.fund_id AS FundId, f.name AS FundName, g.requested_at AS RequestedAt, g.status AS Status,
                   g.decided_at AS DecidedAt, g.amount AS Amount,
                   coalesce((SELECT sum(amount) FROM grants.disbursements d WHERE d.grant_id = g.id AND d.status = 'paid'), 0) AS Paid,
                   g.category AS Category, g.purpose AS Purpose
            FROM grants.grants g JOIN grants.funds f ON f.id = g.fund_id
            WHERE g.household_id = @householdId AND {CaseAccess.VisiblePredicate("g.case_id")}
            ORDER BY g.requested_at, g.id
            """, access.Parameters(user, new { householdId }), cancellationToken: ct)))
            .Select(r => new HouseholdGrantRow(r.GrantId, r.CaseId, r.FundId, r.FundName, r.RequestedAt.AsUtc(), r.Status, r.DecidedAt?.AsUtc(),
                r.Amount, r.Paid, r.Category, r.Purpose))
            .ToList();
        if (rows.Count == 0)
        {
            return Refusal.NotFound("Household not found.",
                $"There are no grants of household {householdId} in a case your sector takes part in.").ToProblem();
        }
        await accessLog.WriteMany(user, rows.Select(r => AccessSubject.Case(r.CaseId)), AccessActions.List, "household grants report", connection, ct);
        return Csv.Wanted(request, format) ? TypedResults.Text(Csv.Write(rows), Csv.MediaType) : TypedResults.Ok<IReadOnlyList<HouseholdGrantRow>>(rows);
    }

    private const string ReportFormat = "json (default) or csv; or leave it out and send Accept: text/csv.";

    /// <summary>A format that is not one of the two is a value not allowed (422), not a text that cannot be read.</summary>
    private static Refusal? BadFormat(string? format) => format is null or "json" or "csv"
        ? null
        : Refusal.Unprocessable("Unknown report format.", "format", "'json' or 'csv' (or leave it out and use the Accept header).");

    private sealed record FundStatusDbRow(Guid FundId, string Name, string Owner, DateOnly PeriodStart, DateOnly PeriodEnd,
        decimal Available, decimal Reserved, decimal Paid, int Households);

    private sealed record HouseholdDbRow(Guid GrantId, Guid CaseId, Guid FundId, string FundName, DateTime RequestedAt, string Status,
        DateTime? DecidedAt, decimal Amount, decimal Paid, string? Category, string Purpose);
}
