using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Grants;
using Samskaping.ServiceDefaults;

namespace Samskaping.Benefits.Feed;

/// <summary>The events a case's status document is built from, kept as received (<c>benefits.feed_facts</c>).</summary>
public sealed class FeedFactStore(TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Stores the fact once (a redelivered or re-published event adds nothing).</summary>
    public async Task Record<T>(string kind, Guid caseId, Guid subjectId, DateTimeOffset occurredAt, T fact, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO benefits.feed_facts (case_id, kind, subject_id, occurred_at, body, recorded_at)
            VALUES (@caseId, @kind, @subjectId, @occurredAt, @body, @now)
            ON CONFLICT DO NOTHING
            """, tx.Connection, tx);
        command.Parameters.AddWithValue("caseId", caseId);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("subjectId", subjectId);
        command.Parameters.AddWithValue("occurredAt", occurredAt);
        command.Parameters.AddWithValue("body", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(fact, Json));
        command.Parameters.AddWithValue("now", clock.Now());
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Everything known about the case. The opening time falls back to the case the benefits service
    /// received before the feed existed (<c>benefits.cases</c>).</summary>
    public async Task<FeedFacts> Load(Guid caseId, NpgsqlTransaction tx, CancellationToken ct)
    {
        var rows = (await tx.Connection!.QueryAsync<(string Kind, string Body)>(new CommandDefinition(
            "SELECT kind, body::text FROM benefits.feed_facts WHERE case_id = @caseId ORDER BY occurred_at, kind, subject_id",
            new { caseId }, tx, cancellationToken: ct))).AsList();
        var received = await tx.Connection!.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT received_at FROM benefits.cases WHERE case_id = @caseId", new { caseId }, tx, cancellationToken: ct));

        List<T> Of<T>(string kind) => rows.Where(r => r.Kind == kind).Select(r => JsonSerializer.Deserialize<T>(r.Body, Json)!).ToList();
        var opened = Of<CaseOpened>(FactKinds.CaseOpened).Select(o => (DateTimeOffset?)o.OpenedAt).Min() ?? received?.AsUtc();
        return new FeedFacts(
            caseId,
            opened,
            Of<CaseStatusChanged>(FactKinds.CaseStatusChanged),
            Of<CaseClosed>(FactKinds.CaseClosed),
            Of<GrantRequested>(FactKinds.GrantRequested),
            Of<GrantApproved>(FactKinds.GrantApproved),
            Of<GrantDeclined>(FactKinds.GrantDeclined),
            Of<DisbursementPlanned>(FactKinds.DisbursementPlanned),
            Of<DisbursementPaid>(FactKinds.DisbursementPaid),
            Of<DisbursementStopped>(FactKinds.DisbursementStopped),
            Of<DisbursementCancelled>(FactKinds.DisbursementCancelled),
            Of<DecisionLetterIssued>(FactKinds.DecisionLetterIssued),
            Of<AppealReceived>(FactKinds.AppealReceived));
    }
}
