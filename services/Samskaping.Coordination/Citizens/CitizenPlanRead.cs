using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Samskaping.Access;
using Samskaping.Coordination.ActionPlan;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.Citizens;

/// <summary>
/// The family's view of its coordination (docs/architecture.md §8), asked by the cases service for a case the citizen
/// reaches: who leads and from which sector, which sectors take part and in which role, the measures with their next
/// review, and the BTI level. What stays with the workers: the relay log, handovers, tasks, evaluations' notes and the
/// reason for a BTI level (the workers' professional assessment, which the family may ask for in its export).
/// </summary>
public static class CitizenPlanRead
{
    public static void MapCitizenPlanRead(this IEndpointRouteBuilder app)
    {
        app.MapCitizenReads("coordination").MapPost("/plan", Plan)
            .WithName("InternalCitizenPlan")
            .WithSummary("A case's coordination as the family sees it, for the cases service's citizen view")
            .WithDescription("The lead coordinator (display name, sector and work e-mail address when their token carried one), the participating sectors with their roles, " +
                "the measures with the next review date and whether it is overdue, and the BTI level without its reason. Access-logged as the " +
                "citizen's own read, for the case and each record named. A service token only; the gateway never routes it.")
            .ProducesInvalid();
    }

    public static async Task<Results<Ok<CitizenPlanPart>, ProblemHttpResult>> Plan(
        CitizenReadQuery query, NpgsqlDataSource dataSource, AccessLog accessLog, TimeProvider clock, CancellationToken ct)
    {
        var errors = query.Validate();
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The plan could not be read.", errors).ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var caseId = query.CaseId;
        var p = new { caseId };
        var group = await connection.QuerySingleOrDefaultAsync<(Guid CaseId, DateTime? ClosedAt)?>(new CommandDefinition(
            "SELECT case_id, closed_at FROM coordination.groups WHERE case_id = @caseId", p, cancellationToken: ct));
        var lead = await connection.QuerySingleOrDefaultAsync<LeadRow>(new CommandDefinition(
            """
            SELECT l.coordinator_name AS Name, l.coordinator_email AS Email, l.sector, coalesce(s.name, l.sector) AS SectorName, l.since
            FROM coordination.lead_coordinators l LEFT JOIN coordination.sectors s ON s.code = l.sector
            WHERE l.case_id = @caseId AND l.until IS NULL
            """, p, cancellationToken: ct));
        var sectors = await connection.QueryAsync<SectorRow>(new CommandDefinition(
            """
            SELECT g.sector AS Code, coalesce(s.name, g.sector) AS Name, g.role, g.joined_at AS JoinedAt
            FROM coordination.group_sectors g LEFT JOIN coordination.sectors s ON s.code = g.sector
            WHERE g.case_id = @caseId ORDER BY g.role = 'lead' DESC, g.joined_at, g.sector
            """, p, cancellationToken: ct));
        var measures = await connection.QueryAsync<MeasureRow>(new CommandDefinition(
            """
            SELECT m.id, m.title, m.responsible_sector AS ResponsibleSector, m.starts_on AS StartsOn, m.ends_on AS EndsOn,
                   m.next_review_on AS NextReviewOn, m.completed_at IS NOT NULL AS Completed,
                   EXISTS (SELECT 1 FROM coordination.overdue_reviews o WHERE o.measure_id = m.id AND o.due_on = m.next_review_on) AS Flagged,
                   (SELECT e.helped FROM coordination.evaluations e WHERE e.measure_id = m.id ORDER BY e.evaluated_at DESC, e.id DESC LIMIT 1) AS LastHelped
            FROM coordination.measures m WHERE m.case_id = @caseId ORDER BY m.next_review_on, m.starts_on, m.id
            """, p, cancellationToken: ct));
        var level = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
            "SELECT level FROM coordination.bti_levels WHERE case_id = @caseId ORDER BY set_at DESC, id DESC LIMIT 1", p, cancellationToken: ct));
        await accessLog.WriteMany(query.AsReader(), query.Subjects(), AccessActions.Read, CitizenReadQuery.Purpose, connection, ct);

        // The scheduler flags a passed review once it has scanned; the family is told as soon as the date has passed.
        var today = ActionPlanRules.Today(clock);
        return TypedResults.Ok(new CitizenPlanPart(
            lead is null ? null : new CitizenLeadPart(lead.Name, lead.Sector, lead.SectorName, lead.Since.AsUtc(), lead.Email),
            [.. sectors.Select(s => new CitizenSectorPart(s.Code, s.Name, s.Role, s.JoinedAt.AsUtc()))],
            [.. measures.Select(m => new CitizenMeasurePart(m.Id, m.Title, m.ResponsibleSector, m.StartsOn, m.EndsOn, m.NextReviewOn,
                !m.Completed && (m.Flagged || m.NextReviewOn < today), m.Completed, m.LastHelped))],
            level,
            group is { ClosedAt: not null }));
    }

    private sealed record LeadRow(string? Name, string? Email, string Sector, string SectorName, DateTime Since);

    private sealed record SectorRow(string Code, string Name, string Role, DateTime JoinedAt);

    private sealed record MeasureRow(
        Guid Id, string Title, string ResponsibleSector, DateOnly StartsOn, DateOnly? EndsOn, DateOnly NextReviewOn, bool Completed, bool Flagged,
        string? LastHelped);
}
