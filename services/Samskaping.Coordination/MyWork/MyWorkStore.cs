using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Access;
using Samskaping.Contracts.Outcomes;
using Samskaping.Coordination.ActionPlan;
using Samskaping.Coordination.Groups;
using Samskaping.Coordination.RelayLog;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.MyWork;

public sealed class MyWorkStore(CaseAccess access, AccessLog accessLog, TimeProvider clock, IOptions<CoordinationOptions> options)
{
    private const string TaskColumns = """
        t.id, t.case_id AS CaseId, t.kind, t.title, t.assigned_to AS AssignedTo, t.created_at AS CreatedAt, t.done_by AS DoneBy, t.done_at AS DoneAt
        """;

    public async Task<MyWorkList> For(CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        var today = ActionPlanRules.Today(clock);
        var handovers = await connection.QueryAsync<(Guid Id, Guid CaseId, string From, string FromSector, string? Note, DateTime RequestedAt)>(new CommandDefinition(
            """
            SELECT id, case_id, from_coordinator, from_sector, note, requested_at FROM coordination.handovers
            WHERE status = 'requested' AND to_coordinator = @subject AND to_sector = @sector ORDER BY requested_at
            """, new { subject = user.Subject, sector = user.Sector }, cancellationToken: ct));
        var measures = (await connection.QueryAsync<ActionPlanStore.MeasureRow>(new CommandDefinition(
            $"""
            SELECT {ActionPlanStore.MeasureColumns} FROM coordination.measures m
            WHERE m.completed_at IS NULL AND m.responsible_sector = @accessSector
              AND EXISTS (SELECT 1 FROM coordination.groups g WHERE g.case_id = m.case_id AND g.closed_at IS NULL)
              AND {CaseAccess.VisiblePredicate("m.case_id")}
            ORDER BY m.next_review_on, m.id
            """, access.Parameters(user), cancellationToken: ct)))
            .Select(m => m.ToMeasure([]))
            .Select(m => new MeasureWork(m.Id, m.CaseId, m.Title, m.ResponsibleSector, m.NextReviewOn, m.Overdue || m.NextReviewOn < today))
            .ToList();
        var tasks = await connection.QueryAsync<TaskRow>(new CommandDefinition(
            $"""
            SELECT {TaskColumns} FROM coordination.tasks t
            JOIN coordination.lead_coordinators l ON l.case_id = t.case_id AND l.until IS NULL AND l.coordinator = @subject
            WHERE t.done_at IS NULL ORDER BY t.created_at, t.id
            """, new { subject = user.Subject }, cancellationToken: ct));
        var appeals = await AppealStore.Waiting(access.Parameters(user), connection, ct);

        var work = new MyWorkList(
            [.. handovers.Select(h => new WaitingHandover(h.Id, h.CaseId, h.From, h.FromSector, h.Note, h.RequestedAt.AsUtc()))],
            [.. measures.Where(m => !m.Overdue && m.NextReviewOn <= today.AddDays(options.Value.ReviewsDueWithinDays))],
            [.. measures.Where(m => m.Overdue)],
            measures,
            [.. tasks.Select(t => t.ToTask())],
            appeals);

        // Every case the list shows is a read of that family's data.
        var cases = work.HandoversWaiting.Select(h => h.CaseId).Concat(work.Measures.Select(m => m.CaseId)).Concat(work.Tasks.Select(t => t.CaseId))
            .Concat(work.AppealsWaiting.Select(a => a.CaseId)).Distinct().ToList();
        await accessLog.WriteMany(user, cases.Select(AccessSubject.Case), AccessActions.List, "my work", connection, ct);
        return work;
    }

    /// <summary>
    /// A negative effect reported by outcomes: an ordinary relay-log entry by "system" and a task for the lead
    /// coordinator. The report carries no free text, and neither does what is written here.
    /// </summary>
    public static async Task RecordNegativeEffect(NegativeEffectReported report, NpgsqlTransaction tx, CancellationToken ct)
    {
        var group = await GroupLock.Take(report.CaseId, tx, ct)
            ?? throw new InvalidOperationException($"No coordination group for case {report.CaseId} yet; the message is retried.");
        var at = report.ReportedAt;
        var title = $"Follow up a reported negative effect: {report.Domain} (level {report.Level}).";
        // The relay log is read by every sector on the case: what the family shared with the lead stays in the lead's task.
        await RelayLogStore.AppendSystemEntry(report.CaseId, "note", RelayLogStore.SystemAuthor, null,
            report.SharedByFamily
                ? $"In outcome measurement {report.MeasurementId} the family shared a negative effect with the lead coordinator, who was given a task."
                : $"Outcome measurement {report.MeasurementId} reported a negative effect: {report.Domain} at level {report.Level}. A task was given to the lead coordinator.",
            at, tx, ct);
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO coordination.tasks (id, case_id, kind, title, assigned_to, created_at)
            VALUES (@id, @CaseId, 'negative-effect', @title, @lead, @at)
            """, new { id = Guid.CreateVersion7(at), report.CaseId, title, lead = group.Lead ?? "", at }, tx, cancellationToken: ct));
    }

    /// <summary>The lead coordinator marks a task done (only once).</summary>
    public async Task<Result<CoordinatorTask>> Done(Guid caseId, Guid taskId, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        var group = await GroupLock.Take(caseId, tx, ct);
        if (group is null)
        {
            return GroupLock.NotFound(caseId);
        }
        var task = await connection.QuerySingleOrDefaultAsync<TaskRow>(new CommandDefinition(
            $"SELECT {TaskColumns} FROM coordination.tasks t WHERE t.id = @taskId AND t.case_id = @caseId",
            new { taskId, caseId }, tx, cancellationToken: ct));
        if (task is null)
        {
            return Refusal.NotFound("Task not found.", $"Case {caseId} has no task {taskId}.");
        }
        if (group.Lead != user.Subject)
        {
            return Refusal.Forbidden("Only the lead coordinator may close the case's tasks.", $"The lead coordinator of case {caseId} is someone else.");
        }
        if (task.DoneAt is not null)
        {
            return Refusal.Conflict("The task is done already.", $"Task {taskId} was marked done by {task.DoneBy}.");
        }
        var now = clock.Now();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE coordination.tasks SET done_by = @by, done_at = @now WHERE id = @taskId AND done_at IS NULL",
            new { taskId, by = user.Subject, now }, tx, cancellationToken: ct));
        await accessLog.Write(user, caseId, null, AccessActions.Update, "close coordinator task", tx, ct);
        await tx.CommitAsync(ct);
        return task.ToTask() with { DoneBy = user.Subject, DoneAt = now };
    }

    private sealed record TaskRow(Guid Id, Guid CaseId, string Kind, string Title, string AssignedTo, DateTime CreatedAt, string? DoneBy, DateTime? DoneAt)
    {
        public CoordinatorTask ToTask() => new(Id, CaseId, Kind, Title, AssignedTo, CreatedAt.AsUtc(), DoneBy, DoneAt?.AsUtc());
    }
}
