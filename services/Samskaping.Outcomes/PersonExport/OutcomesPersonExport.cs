using Dapper;
using Npgsql;
using Samskaping.Access;

namespace Samskaping.Outcomes.PersonExport;

/// <summary>
/// Outcomes' part of a person's export: the person's own answers (and those of the children under 15 in their care),
/// each with the question as it was asked, and the domain scores computed from them. Other household members'
/// answers are theirs, so they are not in it even when they belong to the same case.
/// </summary>
public static class OutcomesPersonExport
{
    public static async Task<PersonExportContent> Read(NpgsqlConnection connection, PersonExportQuery query, CancellationToken ct)
    {
        var p = new { personIds = query.People };
        var responses = (await connection.QueryAsync<ResponseRow>(new CommandDefinition(
            """
            SELECT r.id, r.case_id AS CaseId, r.person_id AS PersonId, m.kind AS Measurement, r.instrument_id AS InstrumentId, r.version,
                   r.respondent_kind AS RespondentKind, r.partial, r.recorded_by AS RecordedBy, r.recorded_by_sector AS RecordedBySector,
                   r.recorded_at AS RecordedAt
            FROM outcomes.responses r JOIN outcomes.measurements m ON m.id = r.measurement_id
            WHERE r.person_id = ANY(@personIds) ORDER BY r.recorded_at, r.id
            """, p, cancellationToken: ct))).ToList();
        var ids = new { responseIds = responses.Select(r => r.Id).ToArray() };
        var answers = (await connection.QueryAsync<AnswerRow>(new CommandDefinition(
            """
            SELECT a.response_id AS ResponseId, a.item_id AS ItemId, i.text_nb AS Question, a.value, a.text
            FROM outcomes.answers a
            JOIN outcomes.responses r ON r.id = a.response_id
            LEFT JOIN outcomes.instrument_items i ON i.instrument_id = r.instrument_id AND i.version = r.version AND i.item_id = a.item_id
            WHERE a.response_id = ANY(@responseIds) ORDER BY a.response_id, i.position, a.item_id
            """, ids, cancellationToken: ct))).ToLookup(a => a.ResponseId);
        var scores = (await connection.QueryAsync<ScoreRow>(new CommandDefinition(
            "SELECT response_id AS ResponseId, domain, score FROM outcomes.domain_scores WHERE response_id = ANY(@responseIds) ORDER BY response_id, domain",
            ids, cancellationToken: ct))).ToLookup(s => s.ResponseId);
        var data = responses.Select(r => new Response(r.Id, r.CaseId, r.PersonId, r.Measurement, r.InstrumentId, r.Version, r.RespondentKind,
            r.Partial, r.RecordedBy, r.RecordedBySector, r.RecordedAt,
            [.. answers[r.Id].Select(a => new Answer(a.ItemId, a.Question, a.Value, a.Text))],
            [.. scores[r.Id].Select(s => new Score(s.Domain, s.Score))])).ToList();
        return new PersonExportContent(new OutcomesData(data), []);
    }

    public sealed record OutcomesData(IReadOnlyList<Response> Responses);

    public sealed record Response(Guid Id, Guid CaseId, Guid PersonId, string Measurement, string InstrumentId, int Version, string RespondentKind,
        bool Partial, string RecordedBy, string RecordedBySector, DateTime RecordedAt, IReadOnlyList<Answer> Answers, IReadOnlyList<Score> Scores);

    public sealed record Answer(string ItemId, string? Question, int? Value, string? Text);

    public sealed record Score(string Domain, decimal Value);

    private sealed record ResponseRow(Guid Id, Guid CaseId, Guid PersonId, string Measurement, string InstrumentId, int Version, string RespondentKind,
        bool Partial, string RecordedBy, string RecordedBySector, DateTime RecordedAt);

    private sealed record AnswerRow(Guid ResponseId, string ItemId, string? Question, int? Value, string? Text);

    private sealed record ScoreRow(Guid ResponseId, string Domain, decimal Score);
}
