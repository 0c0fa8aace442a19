using Dapper;
using Npgsql;
using Samskaping.Access;
using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Coordination;
using Samskaping.Coordination.Groups;
using Samskaping.Coordination.RelayLog;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.ActionPlan;

/// <summary>Goals, measures, evaluations and BTI levels. Each change is one transaction with its events and its access-log entry.</summary>
public sealed class ActionPlanStore(OutboxWriter outbox, AccessLog accessLog, TimeProvider clock)
{
    internal const string MeasureColumns = """
        m.id, m.case_id AS CaseId, m.goal_id AS GoalId, m.title, m.responsible_sector AS ResponsibleSector, m.starts_on AS StartsOn,
        m.ends_on AS EndsOn, m.next_review_on AS NextReviewOn, m.agreed_by AS AgreedBy, m.agreed_at AS AgreedAt,
        m.completed_by AS CompletedBy, m.completed_at AS CompletedAt,
        EXISTS (SELECT 1 FROM coordination.overdue_reviews o WHERE o.measure_id = m.id AND o.due_on = m.next_review_on) AS Overdue
        """;

    /// <summary>A goal from cases' GoalAgreed; a redelivery changes nothing.</summary>
    public static Task RecordGoal(GoalAgreed goal, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO coordination.goals (id, case_id, text, proposed_by, agreed_by, agreed_at)
            VALUES (@GoalId, @CaseId, @Text, @ProposedBy, @AgreedBy, @AgreedAt)
            ON CONFLICT (id) DO NOTHING
            """, goal, tx, cancellationToken: ct));

    /// <summary>A goal's text corrected in cases; records the goal if GoalAgreed has not arrived yet, and keeps the later of two corrections.</summary>
    public static Task CorrectGoal(GoalCorrected goal, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO coordination.goals (id, case_id, text, proposed_by, agreed_by, agreed_at, text_corrected_at)
            VALUES (@GoalId, @CaseId, @Text, @ProposedBy, @AgreedBy, @AgreedAt, @CorrectedAt)
            ON CONFLICT (id) DO UPDATE SET text = excluded.text, text_corrected_at = excluded.text_corrected_at
                WHERE coordination.goals.text_corrected_at IS NULL OR coordination.goals.text_corrected_at <= excluded.text_corrected_at
            """, goal, tx, cancellationToken: ct));

    public static async Task<CaseActionPlan> Plan(Guid caseId, NpgsqlConnection connection, CancellationToken ct)
    {
        var goals = await connection.QueryAsync<GoalRow>(new CommandDefinition(
            "SELECT id, text, proposed_by AS ProposedBy, agreed_by AS AgreedBy, agreed_at AS AgreedAt FROM coordination.goals WHERE case_id = @caseId ORDER BY agreed_at, id",
            new { caseId }, cancellationToken: ct));
        var measures = await connection.QueryAsync<MeasureRow>(new CommandDefinition(
            $"SELECT {MeasureColumns} FROM coordination.measures m WHERE m.case_id = @caseId ORDER BY m.starts_on, m.agreed_at, m.id",
            new { caseId }, cancellationToken: ct));
        var evaluations = (await connection.QueryAsync<EvaluationRow>(new CommandDefinition(
            """
            SELECT e.id, e.measure_id AS MeasureId, e.helped, e.family_words AS FamilyWords, e.note, e.evaluated_by AS EvaluatedBy,
                   e.evaluated_sector AS EvaluatedSector, e.evaluated_at AS EvaluatedAt
            FROM coordination.evaluations e JOIN coordination.measures m ON m.id = e.measure_id
            WHERE m.case_id = @caseId ORDER BY e.evaluated_at, e.id
            """, new { caseId }, cancellationToken: ct))).Select(e => e.ToEvaluation()).ToLookup(e => e.MeasureId);
        var levels = (await connection.QueryAsync<(int Level, string Reason, string SetBy, string SetSector, DateTime SetAt)>(new CommandDefinition(
            "SELECT level, reason, set_by, set_sector, set_at FROM coordination.bti_levels WHERE case_id = @caseId ORDER BY set_at, id",
            new { caseId }, cancellationToken: ct))).Select(l => new BtiLevel(l.Level, l.Reason, l.SetBy, l.SetSector, l.SetAt.AsUtc())).ToList();
        return new CaseActionPlan(
            caseId,
            [.. goals.Select(g => new Goal(g.Id, g.Text, g.ProposedBy, g.AgreedBy, g.AgreedAt.AsUtc()))],
            [.. measures.Select(m => m.ToMeasure([.. evaluations[m.Id]]))],
            levels.LastOrDefault(),
            levels);
    }

    public async Task<Result<Measure>> Agree(Guid caseId, AgreeMeasure valid, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        if ((await GroupLock.TakeOpen(caseId, tx, ct)).Refusal is { } refused)
        {
            return refused;
        }
        if (valid.GoalId is { } goalId && !await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM coordination.goals WHERE id = @goalId AND case_id = @caseId)", new { goalId, caseId }, tx, cancellationToken: ct)))
        {
            return Refusal.Unprocessable("Unknown goal.", "goalId", $"Case {caseId} has no goal {goalId}.");
        }
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM coordination.group_sectors WHERE case_id = @caseId AND sector = @sector)",
                new { caseId, sector = valid.ResponsibleSector }, tx, cancellationToken: ct)))
        {
            return Refusal.Conflict("The responsible sector does not take part.",
                $"Sector {valid.ResponsibleSector} does not take part in case {caseId}: it must join before it can be responsible for a measure.");
        }

        var now = clock.Now();
        var measure = new Measure(Guid.CreateVersion7(now), caseId, valid.GoalId, valid.Title!, valid.ResponsibleSector!, valid.StartsOn!.Value,
            valid.EndsOn, valid.NextReviewOn!.Value, user.Subject, now, null, null, false, []);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO coordination.measures (id, case_id, goal_id, title, responsible_sector, starts_on, ends_on, next_review_on, agreed_by, agreed_at)
            VALUES (@Id, @CaseId, @GoalId, @Title, @ResponsibleSector, @StartsOn, @EndsOn, @NextReviewOn, @AgreedBy, @AgreedAt)
            """, measure, tx, cancellationToken: ct));
        await RelayLogStore.AppendSystemEntry(caseId, "measure-started", user.Subject, user.Sector,
            $"Measure agreed: {measure.Title} (responsible: {measure.ResponsibleSector}, from {measure.StartsOn:yyyy-MM-dd}, next review {measure.NextReviewOn:yyyy-MM-dd}).",
            now, tx, ct);
        await outbox.Enqueue(new MeasureAgreed(caseId, measure.Id, measure.GoalId, measure.Title, measure.ResponsibleSector, measure.StartsOn,
            measure.EndsOn, measure.NextReviewOn, user.Subject, now), tx, ct);
        await accessLog.Write(user, caseId, null, AccessActions.Create, "agree measure", tx, ct);
        await tx.CommitAsync(ct);
        return measure;
    }

    public async Task<Result<Evaluation>> Evaluate(Guid caseId, Guid measureId, EvaluateMeasure valid, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        var refused = await OpenMeasure(caseId, measureId, tx, ct);
        if (refused is not null)
        {
            return refused;
        }
        var now = clock.Now();
        var evaluation = new Evaluation(Guid.CreateVersion7(now), measureId, valid.Helped!, valid.FamilyWords, valid.Note, user.Subject, user.Sector, now);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO coordination.evaluations (id, measure_id, helped, family_words, note, evaluated_by, evaluated_sector, evaluated_at)
            VALUES (@Id, @MeasureId, @Helped, @FamilyWords, @Note, @EvaluatedBy, @EvaluatedSector, @EvaluatedAt);
            UPDATE coordination.measures SET next_review_on = @nextReviewOn WHERE id = @MeasureId;
            """,
            new
            {
                evaluation.Id, evaluation.MeasureId, evaluation.Helped, evaluation.FamilyWords, evaluation.Note, evaluation.EvaluatedBy,
                evaluation.EvaluatedSector, evaluation.EvaluatedAt, nextReviewOn = valid.NextReviewOn!.Value,
            }, tx, cancellationToken: ct));
        await RelayLogStore.AppendSystemEntry(caseId, "evaluation", user.Subject, user.Sector,
            $"Measure evaluated — did it help: {evaluation.Helped}. Next review {valid.NextReviewOn:yyyy-MM-dd}.", now, tx, ct);
        await accessLog.Write(user, caseId, null, AccessActions.Create, "evaluate measure", tx, ct);
        await tx.CommitAsync(ct);
        return evaluation;
    }

    public async Task<Result<Measure>> Complete(Guid caseId, Guid measureId, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        var refused = await OpenMeasure(caseId, measureId, tx, ct);
        if (refused is not null)
        {
            return refused;
        }
        var now = clock.Now();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE coordination.measures SET completed_by = @by, completed_at = @now WHERE id = @measureId AND completed_at IS NULL",
            new { measureId, by = user.Subject, now }, tx, cancellationToken: ct));
        var completed = await connection.QuerySingleAsync<MeasureRow>(new CommandDefinition(
            $"SELECT {MeasureColumns} FROM coordination.measures m WHERE m.id = @measureId", new { measureId }, tx, cancellationToken: ct));
        var lastAnswer = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT helped FROM coordination.evaluations WHERE measure_id = @measureId ORDER BY evaluated_at DESC, id DESC LIMIT 1",
            new { measureId }, tx, cancellationToken: ct));
        await RelayLogStore.AppendSystemEntry(caseId, "measure-ended", user.Subject, user.Sector,
            $"Measure completed: {completed.Title}.", now, tx, ct);
        await outbox.Enqueue(new MeasureCompleted(caseId, measureId, ActionPlanRules.Helped(lastAnswer), user.Subject, now), tx, ct);
        await accessLog.Write(user, caseId, null, AccessActions.Update, "complete measure", tx, ct);
        await tx.CommitAsync(ct);
        return completed.ToMeasure([]);
    }

    public async Task<Result<BtiLevel>> SetLevel(Guid caseId, SetBtiLevel valid, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        if ((await GroupLock.TakeOpen(caseId, tx, ct)).Refusal is { } refused)
        {
            return refused;
        }
        var now = clock.Now();
        var level = new BtiLevel(valid.Level!.Value, valid.Reason!, user.Subject, user.Sector, now);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO coordination.bti_levels (id, case_id, level, reason, set_by, set_sector, set_at)
            VALUES (@id, @caseId, @Level, @Reason, @SetBy, @SetSector, @SetAt)
            """, new { id = Guid.CreateVersion7(now), caseId, level.Level, level.Reason, level.SetBy, level.SetSector, level.SetAt }, tx, cancellationToken: ct));
        await accessLog.Write(user, caseId, null, AccessActions.Update, "set BTI level", tx, ct);
        await tx.CommitAsync(ct);
        return level;
    }

    // An open group and a measure of it not yet completed. The group lock comes first, so completing and evaluating
    // the same measure take turns.
    private static async Task<Refusal?> OpenMeasure(Guid caseId, Guid measureId, NpgsqlTransaction tx, CancellationToken ct)
    {
        if ((await GroupLock.TakeOpen(caseId, tx, ct)).Refusal is { } refused)
        {
            return refused;
        }
        var completedAt = await tx.Connection!.QuerySingleOrDefaultAsync<(Guid Id, DateTime? CompletedAt)?>(new CommandDefinition(
            "SELECT id, completed_at FROM coordination.measures WHERE id = @measureId AND case_id = @caseId",
            new { measureId, caseId }, tx, cancellationToken: ct));
        return completedAt switch
        {
            null => Refusal.NotFound("Measure not found.", $"Case {caseId} has no measure {measureId}."),
            { CompletedAt: not null } => Refusal.Conflict("The measure is completed.", $"Measure {measureId} was completed already."),
            _ => null,
        };
    }

    private sealed record GoalRow(Guid Id, string Text, string ProposedBy, string AgreedBy, DateTime AgreedAt);

    private sealed record EvaluationRow(Guid Id, Guid MeasureId, string Helped, string? FamilyWords, string? Note, string EvaluatedBy, string EvaluatedSector, DateTime EvaluatedAt)
    {
        public Evaluation ToEvaluation() => new(Id, MeasureId, Helped, FamilyWords, Note, EvaluatedBy, EvaluatedSector, EvaluatedAt.AsUtc());
    }

    internal sealed record MeasureRow(
        Guid Id, Guid CaseId, Guid? GoalId, string Title, string ResponsibleSector, DateOnly StartsOn, DateOnly? EndsOn, DateOnly NextReviewOn,
        string AgreedBy, DateTime AgreedAt, string? CompletedBy, DateTime? CompletedAt, bool Overdue)
    {
        public Measure ToMeasure(IReadOnlyList<Evaluation> evaluations) => new(
            Id, CaseId, GoalId, Title, ResponsibleSector, StartsOn, EndsOn, NextReviewOn, AgreedBy, AgreedAt.AsUtc(), CompletedBy, CompletedAt?.AsUtc(), Overdue, evaluations);
    }
}
