using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.ServiceDefaults;

namespace Samskaping.Outcomes.Schedules;

public sealed record MeasurementDto(Guid Id, string Kind, string Status, DateTimeOffset DueAt, DateTimeOffset ScheduledAt, DateTimeOffset? CompletedAt);

public sealed record CaseScheduleDto(Guid CaseId, IReadOnlyList<MeasurementDto> Measurements);

public static class SchedulesApi
{
    public static void MapScheduleEndpoints(this IEndpointRouteBuilder app)
    {
        var schedules = app.MapApiGroup("/api/outcomes/cases", "Measurement schedules", Policies.SectorStaff);

        schedules.MapGet("/{caseId:guid}/schedule", GetSchedule)
            .WithName("GetMeasurementSchedule")
            .WithSummary("The case's measurements: baseline, follow-ups, closing, with due dates")
            .WithDescription("Only for workers whose sector takes part in the case; otherwise 404. The read is access-logged.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static async Task<Results<Ok<CaseScheduleDto>, ProblemHttpResult>> GetSchedule(
        Guid caseId, CurrentUser user, CaseAccess access, ScheduleStore store, AccessLog accessLog, TimeProvider clock, CancellationToken ct)
    {
        if (!await access.CanSee(caseId, user, ct))
        {
            return ApiGroups.CaseNotFound(caseId);
        }
        var now = clock.GetUtcNow();
        var measurements = await store.ForCase(caseId, ct);
        await accessLog.Write(user, caseId, null, AccessActions.Read, "read measurement schedule", ct);
        return TypedResults.Ok(new CaseScheduleDto(caseId,
            [.. measurements.Select(m => new MeasurementDto(m.Id, m.Kind, m.Status(now), m.DueAt, m.ScheduledAt, m.CompletedAt))]));
    }
}
