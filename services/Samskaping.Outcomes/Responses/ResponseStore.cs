using System.Text.Json.Serialization;
using Dapper;
using Npgsql;
using Samskaping.Access;
using Samskaping.Contracts.Outcomes;
using Samskaping.Outcomes.Instruments;
using Samskaping.Outcomes.Schedules;
using Samskaping.Outcomes.Scoring;
using Samskaping.ServiceDefaults;

namespace Samskaping.Outcomes.Responses;

public sealed record AnswerDto(string ItemId, int? Value, string? Text);

/// <summary>
/// What a staff read of a response does not show, and why: the answers and scores on the sensitive domains of a
/// response the person (or a guardian) sent themselves, and of any self- or guardian-reported response read by a
/// worker who decides grants. Shown, never silently left out.
/// </summary>
/// <param name="Kind"><see cref="SentByFamilyKind"/> or <see cref="GrantDeciderKind"/>.</param>
public sealed record WithheldDto(IReadOnlyList<string> Domains, string Reason, string Kind)
{
    public const string SentByFamilyKind = "sent-by-family";
    public const string GrantDeciderKind = "grant-decider";

    public const string SentByFamily =
        "The person sent these answers themselves: answers on the sensitive domains are shown in aggregate reports only, " +
        "and as the negative-effect signal to the lead coordinator when the person chose to share it.";

    public const string GrantDecider =
        "Self-reported (or guardian-reported) answers on the sensitive domains are not shown individually to a worker who " +
        "decides grants, so that what a family says about the money never weighs on the money; they count in aggregate reports.";

    /// <summary>
    /// The domains of <paramref name="sensitive"/> a reader does not see individually in a response, and why; null
    /// when they see it whole. A family's own response hides them from every worker; a worker-recorded response in the
    /// person's or a guardian's own words hides them from a reader who holds the grant-approver role.
    /// </summary>
    public static WithheldDto? For(bool? sharedWithLead, string respondentKind, bool readerDecidesGrants, IReadOnlyList<string> sensitive) =>
        sensitive.Count == 0 ? null
        : sharedWithLead is not null ? new WithheldDto(sensitive, SentByFamily, SentByFamilyKind)
        : readerDecidesGrants && respondentKind is RespondentKinds.Self or RespondentKinds.Guardian ? new WithheldDto(sensitive, GrantDecider, GrantDeciderKind)
        : null;
}

/// <param name="SchedulePoint">Where the measurement lies in the schedule (see <see cref="Measurement.SchedulePoint"/>); orders "latest", not shown.</param>
public sealed record ResponseDto(
    Guid Id,
    Guid MeasurementId,
    string MeasurementKind,
    [property: JsonIgnore] int SchedulePoint,
    Guid PersonId,
    string RespondentKind,
    string InstrumentId,
    int InstrumentVersion,
    bool Partial,
    string RecordedBy,
    DateTimeOffset RecordedAt,
    IReadOnlyList<AnswerDto> Answers,
    IReadOnlyDictionary<string, double> DomainScores,
    bool? SharedWithLead = null,
    WithheldDto? Withheld = null);

/// <summary>A response to record: everything checked already.</summary>
/// <param name="SharedWithLead">Null when a worker records it; the person's choice when they send it themselves.</param>
public sealed record NewResponse(
    Measurement Measurement,
    Guid PersonId,
    string RespondentKind,
    Instrument Instrument,
    CheckedAnswers Answers,
    IReadOnlyDictionary<string, double> Scores,
    bool? SharedWithLead = null);

public sealed class ResponseStore(Messaging.Outbox.OutboxWriter outbox, AccessLog accessLog, OutcomesMetrics metrics, TimeProvider clock)
{
    /// <summary>
    /// Records the response, its answers and domain scores, marks the measurement completed when every member of the
    /// household has now answered it, and enqueues <see cref="MeasurementCompleted"/> for the person plus a
    /// <see cref="NegativeEffectReported"/> for every negative-effect answer above <paramref name="alertLevel"/> (for a
    /// response the person sent themselves, only when they chose to share it with the lead coordinator) — all
    /// in one transaction (on the request's <paramref name="connection"/>) with the access-log entry. Null when the person
    /// has already answered this measurement.
    /// </summary>
    public async Task<ResponseDto?> Record(NewResponse response, int alertLevel, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        var now = clock.Now();
        var id = Guid.CreateVersion7(now);
        var measurement = response.Measurement;
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Two members answering at once: the second waits here, then sees the first's response, so the one who answers
        // last is the one who completes the measurement.
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT 1 FROM outcomes.measurements WHERE id = @id FOR UPDATE", new { id = measurement.Id }, tx, cancellationToken: ct));
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outcomes.responses (id, measurement_id, case_id, person_id, instrument_id, version, respondent_kind, partial, recorded_by, recorded_by_sector, recorded_at, shared_with_lead)
            VALUES (@id, @measurementId, @caseId, @personId, @instrumentId, @version, @respondentKind, @partial, @recordedBy, @sector, @now, @shared)
            ON CONFLICT (measurement_id, person_id) DO NOTHING
            """,
            new
            {
                id,
                measurementId = measurement.Id,
                caseId = measurement.CaseId,
                personId = response.PersonId,
                instrumentId = response.Instrument.InstrumentId,
                version = response.Instrument.Version,
                respondentKind = response.RespondentKind,
                partial = response.Answers.Partial,
                recordedBy = user.Subject,
                sector = user.Sector,
                now,
                shared = response.SharedWithLead,
            }, tx, cancellationToken: ct));
        if (inserted == 0)
        {
            return null;
        }

        var answers = response.Answers.Values.Select(v => new { responseId = id, itemId = v.Key, value = (int?)v.Value, text = (string?)null })
            .Concat(response.Answers.Texts.Select(t => new { responseId = id, itemId = t.Key, value = (int?)null, text = (string?)t.Value }))
            .ToList();
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO outcomes.answers (response_id, item_id, value, text) VALUES (@responseId, @itemId, @value, @text)", answers, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO outcomes.domain_scores (response_id, domain, score) VALUES (@responseId, @domain, @score)",
            response.Scores.Select(s => new { responseId = id, domain = s.Key, score = (decimal)s.Value }).ToList(), tx, cancellationToken: ct));
        // Members are those outcomes knows now: one who joins the household later may still answer, but does not reopen
        // a measurement that was complete.
        var completed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outcomes.measurements m SET completed_at = @now
            WHERE m.id = @id AND m.completed_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM outcomes.household_members hm
                              WHERE hm.case_id = m.case_id
                                AND NOT EXISTS (SELECT 1 FROM outcomes.responses r WHERE r.measurement_id = m.id AND r.person_id = hm.person_id))
            """,
            new { id = measurement.Id, now }, tx, cancellationToken: ct)) == 1;

        await outbox.Enqueue(new MeasurementCompleted(measurement.CaseId, measurement.Id, response.PersonId, measurement.Kind,
            response.RespondentKind, response.Answers.Partial, now, completed), tx, ct);
        // The event says which effect and how strongly, never what the person wrote about it.
        var reported = new List<string>();
        // The person who sends their own answers decides whether the signal reaches the lead; not sharing it is no signal at all.
        foreach (var item in response.Instrument.Items.Where(i => i.NegativeEffect && response.SharedWithLead != false))
        {
            if (response.Answers.Values.TryGetValue(item.ItemId, out var level) && level > alertLevel)
            {
                await outbox.Enqueue(new NegativeEffectReported(measurement.CaseId, measurement.Id, item.Domain, level, now, response.SharedWithLead == true), tx, ct);
                reported.Add(item.Domain);
            }
        }
        await accessLog.Write(user, measurement.CaseId, response.PersonId, AccessActions.Create, "record outcome response", tx, ct);
        await tx.CommitAsync(ct);
        reported.ForEach(metrics.NegativeEffectReported);

        return new ResponseDto(id, measurement.Id, measurement.Kind, measurement.SchedulePoint, response.PersonId, response.RespondentKind, response.Instrument.InstrumentId,
            response.Instrument.Version, response.Answers.Partial, user.Subject, now,
            [.. answers.Select(a => new AnswerDto(a.itemId, a.value, a.text))], response.Scores, response.SharedWithLead);
    }

    /// <summary>
    /// The case's responses as staff read them. Of a response the person (or a guardian) sent themselves, the answers
    /// and scores on the sensitive domains — those of the instrument version's negative-effect items, free-text
    /// follow-ups included — are withheld and the response says so (<see cref="ResponseDto.Withheld"/>); the group
    /// reports read the stored scores directly and still count them.
    /// </summary>
    public static async Task<IReadOnlyList<ResponseDto>> ForCase(Guid caseId, CurrentUser reader, NpgsqlConnection connection, CancellationToken ct)
    {
        var heads = (await connection.QueryAsync<ResponseRow>(new CommandDefinition(
            """
            SELECT r.id, r.measurement_id AS MeasurementId, m.kind AS MeasurementKind, m.schedule_point AS SchedulePoint, r.person_id AS PersonId, r.respondent_kind AS RespondentKind,
                   r.instrument_id AS InstrumentId, r.version AS InstrumentVersion, r.partial, r.recorded_by AS RecordedBy, r.recorded_at AS RecordedAt,
                   r.shared_with_lead AS SharedWithLead
            FROM outcomes.responses r JOIN outcomes.measurements m ON m.id = r.measurement_id
            WHERE r.case_id = @caseId ORDER BY r.recorded_at, r.id
            """, new { caseId }, cancellationToken: ct))).AsList();
        var ids = heads.Select(h => h.Id).ToArray();
        var answers = (await connection.QueryAsync<(Guid ResponseId, string ItemId, int? Value, string? Text, string? Domain)>(new CommandDefinition(
            """
            SELECT a.response_id, a.item_id, a.value, a.text, i.domain
            FROM outcomes.answers a
            JOIN outcomes.responses r ON r.id = a.response_id
            LEFT JOIN outcomes.instrument_items i ON i.instrument_id = r.instrument_id AND i.version = r.version AND i.item_id = a.item_id
            WHERE a.response_id = ANY(@ids) ORDER BY a.item_id
            """, new { ids }, cancellationToken: ct)))
            .ToLookup(a => a.ResponseId);
        var scores = (await connection.QueryAsync<(Guid ResponseId, string Domain, decimal Score)>(new CommandDefinition(
            "SELECT response_id, domain, score FROM outcomes.domain_scores WHERE response_id = ANY(@ids) ORDER BY domain", new { ids }, cancellationToken: ct)))
            .ToLookup(s => s.ResponseId);
        var sensitive = (await connection.QueryAsync<(string InstrumentId, int Version, string Domain)>(new CommandDefinition(
            "SELECT DISTINCT instrument_id, version, domain FROM outcomes.instrument_items WHERE negative_effect ORDER BY domain", cancellationToken: ct)))
            .ToLookup(d => (d.InstrumentId, d.Version), d => d.Domain);
        var decidesGrants = reader.HasRole(Roles.GrantApprover);
        return [.. heads.Select(h =>
        {
            var held = WithheldDto.For(h.SharedWithLead, h.RespondentKind, decidesGrants, [.. sensitive[(h.InstrumentId, h.InstrumentVersion)]]);
            var withheld = held?.Domains ?? [];
            return new ResponseDto(h.Id, h.MeasurementId, h.MeasurementKind, h.SchedulePoint, h.PersonId, h.RespondentKind, h.InstrumentId,
                h.InstrumentVersion, h.Partial, h.RecordedBy, h.RecordedAt.AsUtc(),
                [.. answers[h.Id].Where(a => a.Domain is null || !withheld.Contains(a.Domain)).Select(a => new AnswerDto(a.ItemId, a.Value, a.Text))],
                scores[h.Id].Where(s => !withheld.Contains(s.Domain)).ToDictionary(s => s.Domain, s => (double)s.Score, StringComparer.Ordinal),
                h.SharedWithLead, held);
        })];
    }

    private sealed record ResponseRow(Guid Id, Guid MeasurementId, string MeasurementKind, int SchedulePoint, Guid PersonId, string RespondentKind,
        string InstrumentId, int InstrumentVersion, bool Partial, string RecordedBy, DateTime RecordedAt, bool? SharedWithLead);
}
