using Dapper;
using Npgsql;
using Samskaping.Access;
using Samskaping.Contracts.Cases;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Retention;

public sealed record AnonymisationAnswerDto(string Service, DateTimeOffset AnonymisedAt, int RowsAnonymised);

public sealed record AnonymisationStatusDto(
    Guid CaseId,
    Guid AnonymisationId,
    string Ground,
    string Reason,
    string OrderedBy,
    DateTimeOffset OrderedAt,
    IReadOnlyList<AnonymisationAnswerDto> Done,
    IReadOnlyList<string> Due);

public sealed record LegalHoldDto(Guid Id, Guid CaseId, string Reason, string PlacedBy, DateTimeOffset PlacedAt,
    string? LiftedBy, DateTimeOffset? LiftedAt, string? LiftReason);

/// <summary>
/// Orders a case's anonymisation: in ONE transaction cases removes its own personal data of the case
/// (<c>cases.anonymise_case</c>, audited there), records the order and its own answer, and publishes
/// <see cref="CaseAnonymisationOrdered"/> through the outbox for the four other services. An order for a case that
/// has one already changes nothing.
/// </summary>
public sealed class AnonymisationStore(OutboxWriter outbox, AccessLog accessLog, AnonymisationMetrics metrics, TimeProvider clock)
{
    public const string Service = "cases";

    /// <summary>Every service that holds personal data of a case and answers <see cref="CaseAnonymisedInService"/>.</summary>
    public static IReadOnlyList<string> Services { get; } = ["cases", "coordination", "grants", "outcomes", "benefits"];

    public static string AnonymisedTitle => "The case is anonymised.";

    /// <summary>The 409 every write to an anonymised case answers.</summary>
    public static Refusal Anonymised(Guid caseId) => Refusal.Conflict(AnonymisedTitle,
        $"The case {caseId} is anonymised: its personal data was removed, and it cannot be reopened or written to.");

    /// <summary>
    /// Anonymises <paramref name="caseId"/> on <paramref name="ground"/>. Null when the case had been ordered already
    /// (nothing changed); else the order. <paramref name="user"/> is null for the sweep.
    /// </summary>
    public async Task<CaseAnonymisationOrdered?> Order(Guid caseId, string ground, string reason, string orderedBy, CurrentUser? user,
        NpgsqlConnection connection, CancellationToken ct)
    {
        var now = clock.Now();
        await using var tx = await connection.BeginTransactionAsync(ct);
        var ordered = new CaseAnonymisationOrdered(caseId, Guid.CreateVersion7(now), ground, reason, orderedBy, now);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cases.anonymisation_orders (case_id, anonymisation_id, ground, reason, ordered_by, ordered_at)
            VALUES (@CaseId, @AnonymisationId, @Ground, @Reason, @OrderedBy, @OrderedAt)
            ON CONFLICT (case_id) DO NOTHING
            """, ordered, tx, cancellationToken: ct));
        if (inserted == 0)
        {
            return null;
        }
        var rows = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT cases.anonymise_case(@CaseId, @AnonymisationId, @Ground, @Reason, @OrderedBy)", ordered, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cases.anonymisation_answers (case_id, service, anonymisation_id, rows_anonymised, anonymised_at)
            VALUES (@CaseId, @service, @AnonymisationId, @rows, @OrderedAt) ON CONFLICT (case_id, service) DO NOTHING
            """, new { ordered.CaseId, service = Service, ordered.AnonymisationId, rows, ordered.OrderedAt }, tx, cancellationToken: ct));
        await outbox.Enqueue(ordered, tx, ct);
        if (user is not null)
        {
            await accessLog.Write(user, caseId, null, AccessActions.Update, "anonymise case", tx, ct);
        }
        await tx.CommitAsync(ct);
        metrics.Anonymised(ground);
        return ordered;
    }

    /// <summary>Records another service's answer, once (the consumer runs it in the inbox's transaction).</summary>
    public static Task Answer(CaseAnonymisedInService answer, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cases.anonymisation_answers (case_id, service, anonymisation_id, rows_anonymised, anonymised_at)
            SELECT @CaseId, @Service, @AnonymisationId, @RowsAnonymised, @AnonymisedAt
            WHERE EXISTS (SELECT 1 FROM cases.cases WHERE id = @CaseId) AND @Service = ANY(@services)
            ON CONFLICT (case_id, service) DO NOTHING
            """, new { answer.CaseId, answer.Service, answer.AnonymisationId, answer.RowsAnonymised, answer.AnonymisedAt, services = Services.ToArray() },
            tx, cancellationToken: ct));

    public static async Task<AnonymisationStatusDto?> Status(Guid caseId, NpgsqlConnection connection, CancellationToken ct)
    {
        var order = await connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
            """
            SELECT case_id AS CaseId, anonymisation_id AS AnonymisationId, ground, reason, ordered_by AS OrderedBy, ordered_at AS OrderedAt
            FROM cases.anonymisation_orders WHERE case_id = @caseId
            """, new { caseId }, cancellationToken: ct));
        if (order is null)
        {
            return null;
        }
        var done = (await connection.QueryAsync<AnswerRow>(new CommandDefinition(
            """
            SELECT service, anonymised_at AS AnonymisedAt, rows_anonymised AS RowsAnonymised
            FROM cases.anonymisation_answers WHERE case_id = @caseId ORDER BY anonymised_at, service
            """, new { caseId }, cancellationToken: ct))).Select(a => new AnonymisationAnswerDto(a.Service, a.AnonymisedAt.AsUtc(), a.RowsAnonymised)).ToList();
        var due = Services.Where(s => done.All(d => d.Service != s)).ToList();
        return new AnonymisationStatusDto(order.CaseId, order.AnonymisationId, order.Ground, order.Reason, order.OrderedBy, order.OrderedAt.AsUtc(), done, due);
    }

    private sealed record OrderRow(Guid CaseId, Guid AnonymisationId, string Ground, string Reason, string OrderedBy, DateTime OrderedAt);

    private sealed record AnswerRow(string Service, DateTime AnonymisedAt, int RowsAnonymised);
}
