using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Samskaping.Access;
using Samskaping.Contracts;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Outcomes.Schedules;

/// <param name="OpensAt">From when it may be answered (a follow-up: Schedules:FollowUpOpensBefore before it is due).</param>
/// <param name="CompletedAt">When every member of the household had answered it.</param>
public sealed record MeasurementDto(Guid Id, string Kind, int? OffsetMonths, string Status, DateTimeOffset DueAt, DateTimeOffset OpensAt, DateTimeOffset ScheduledAt,
    DateTimeOffset? CompletedAt);

public sealed record CaseScheduleDto(Guid CaseId, IReadOnlyList<MeasurementDto> Measurements);

public sealed record OverdueListDto(string Sector, DateTimeOffset At, IReadOnlyList<OverdueMeasurement> Measurements);

public static class SchedulesApi
{
    public static void MapScheduleEndpoints(this IEndpointRouteBuilder app)
    {
        var schedules = app.MapApiGroup("/api/outcomes/cases", "Measurement schedules", Policies.SectorStaff).RequireCaseAccess();

        schedules.MapGet("/{caseId:guid}/schedule", GetSchedule)
            .WithName("GetMeasurementSchedule")
            .WithSummary("The case's measurements: baseline, follow-ups, closing, with due dates")
            .WithDescription("""
                The baseline and follow-ups are scheduled when the case becomes active, the closing measurement when it closes. A follow-up
                opens for answers Schedules:FollowUpOpensBefore (14 days) before it is due (opensAt); a measurement is completed when every
                member of the household has answered it. Only for workers whose sector takes part in the case (with consent) or its lead;
                otherwise 404. The read is access-logged.
                """);

        var overdue = app.MapApiGroup("/api/outcomes/overdue", "Measurement schedules", Policies.SectorStaff);
        overdue.MapGet("/", GetOverdue)
            .WithName("ListOverdueMeasurements")
            .WithSummary("Measurements past their due date in the cases a sector takes part in")
            .WithDescription("Only cases the caller may see are listed. At most 1000, oldest first. Without a known sector, 422 naming it.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
    }

    public static async Task<Ok<CaseScheduleDto>> GetSchedule(
        Guid caseId, CurrentUser user, DbSession db, AccessLog accessLog, IOptions<ScheduleOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var connection = await db.Connection(ct);
        var measurements = await ScheduleStore.ForCase(caseId, connection, ct);
        await accessLog.Write(user, caseId, null, AccessActions.Read, "read measurement schedule", connection, ct);
        return TypedResults.Ok(new CaseScheduleDto(caseId,
            [.. measurements.Select(m => new MeasurementDto(m.Id, m.Kind, m.OffsetMonths, m.Status(now), m.DueAt,
                m.OpensAt(options.Value.FollowUpOpensBefore), m.ScheduledAt, m.CompletedAt))]));
    }

    public static async Task<Results<Ok<OverdueListDto>, ProblemHttpResult>> GetOverdue(
        [Description("The sector whose overdue measurements to list (required)."), AllowedValues(Sectors.Oppvekst, Sectors.HelseVelferd, Sectors.Kultur, Sectors.Nav, Sectors.Frivillighet)] string? sector,
        CurrentUser user, CaseAccess access, ScheduleStore store, DbSession db, AccessLog accessLog, TimeProvider clock, CancellationToken ct)
    {
        if (!Sectors.IsKnown(sector))
        {
            return Refusal.Unprocessable("The overdue list needs a sector.", "sector", $"Required: one of {string.Join(", ", Sectors.All)}.").ToProblem();
        }
        var connection = await db.Connection(ct);
        var list = await store.Overdue(sector!, user, access, connection, ct);
        await accessLog.WriteMany(user, list.Select(m => AccessSubject.Case(m.CaseId)), AccessActions.List, $"overdue measurements for {sector}", connection, ct);
        return TypedResults.Ok(new OverdueListDto(sector!, clock.GetUtcNow(), list));
    }
}
