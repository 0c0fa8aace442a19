using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Access;
using Samskaping.Contracts.Grants;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Letters;

/// <summary>A decision to write: who decided, what, and why.</summary>
/// <param name="DecidedBy">One name, or the requester's and the second approver's above the fund's threshold.</param>
/// <param name="Replaces">The letter of the decision this one changes (after an appeal, or a correction).</param>
/// <param name="Reasons">Null for a full approval: the letter then gives the standard reasons of a trust-based grant.</param>
public sealed record LetterDecision(Guid GrantId, string Outcome, decimal Amount, string? Reasons, IReadOnlyList<string> DecidedBy, Guid? Replaces);

/// <summary>A letter as listed: everything but the PDF.</summary>
public sealed record LetterView(
    Guid Id, Guid GrantId, Guid CaseId, string Outcome, string Language, decimal Amount, IReadOnlyList<string> DecidedBy,
    DateOnly ReceivedOn, DateOnly AppealDeadline, Guid? ReplacesLetterId, Guid? ReplacedByLetterId, string Sha256,
    string IssuedBy, DateTimeOffset IssuedAt);

/// <summary>
/// Issues decision letters in the decision's own transaction — a decision without its letter never exists, not even
/// for a moment, and no consumer has to catch up — and reads them back. The row is final once written (a trigger
/// refuses UPDATE and DELETE); <see cref="DecisionLetterIssued"/> goes through the outbox in the same transaction.
/// </summary>
public sealed class DecisionLetters(OutboxWriter outbox, AccessLog accessLog, IOptions<LetterOptions> options)
{
    private const string ViewColumns = """
        l.id AS Id, l.grant_id AS GrantId, l.case_id AS CaseId, l.outcome AS Outcome, l.language AS Language, l.amount AS Amount,
        l.deciders AS DecidedBy, l.received_on AS ReceivedOn, l.appeal_deadline AS AppealDeadline, l.replaces_letter_id AS ReplacesLetterId,
        (SELECT r.id FROM grants.decision_letters r WHERE r.replaces_letter_id = l.id) AS ReplacedByLetterId,
        l.sha256 AS Sha256, l.issued_by AS IssuedBy, l.issued_at AS IssuedAt
        """;

    public static Refusal NotFound(Guid letterId) =>
        Refusal.NotFound("Letter not found.", $"There is no decision letter {letterId} in a case your sector takes part in.");

    /// <summary>The case a letter belongs to, for the route's access check.</summary>
    public static Task<Guid?> CaseOf(Guid letterId, NpgsqlConnection connection, CancellationToken ct) =>
        connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT case_id FROM grants.decision_letters WHERE id = @letterId", new { letterId }, cancellationToken: ct));

    public async Task<LetterView> Issue(NpgsqlTransaction tx, LetterDecision decision, CurrentUser user, DateTimeOffset now, CancellationToken ct)
    {
        var connection = tx.Connection!;
        var grant = await connection.QuerySingleAsync<GrantFacts>(new CommandDefinition(
            """
            SELECT g.case_id AS CaseId, g.purpose AS Purpose, coalesce(g.requested_amount, g.amount) AS RequestedAmount,
                   g.payee_name AS PayeeName, f.name AS FundName, f.legal_basis AS LegalBasis,
                   coalesce((SELECT language FROM grants.household_letter_languages h WHERE h.household_id = g.household_id), 'nb') AS Language
            FROM grants.grants g JOIN grants.funds f ON f.id = g.fund_id WHERE g.id = @GrantId
            """, new { decision.GrantId }, tx, cancellationToken: ct));
        var payments = decision.Outcome is DecisionOutcomes.Granted or DecisionOutcomes.PartlyGranted
            ? (await connection.QueryAsync<(int Number, decimal Amount, DateOnly DueOn)>(new CommandDefinition(
                "SELECT number, amount, due_on FROM grants.disbursements WHERE grant_id = @GrantId AND status IN ('planned', 'sent', 'paid') ORDER BY number",
                new { decision.GrantId }, tx, cancellationToken: ct))).Select(p => new LetterPayment(p.Number, p.Amount, p.DueOn)).ToList()
            : [];
        var replaced = decision.Replaces is { } replacesId
            ? new ReplacedLetter(replacesId, NorwegianCalendar.DayOf((await connection.ExecuteScalarAsync<DateTime>(new CommandDefinition(
                "SELECT issued_at FROM grants.decision_letters WHERE id = @replacesId", new { replacesId }, tx, cancellationToken: ct))).AsUtc()))
            : null;

        var id = Guid.CreateVersion7(now);
        var issuedOn = NorwegianCalendar.DayOf(now);
        var receivedOn = issuedOn.AddDays(options.Value.ReceiptDays);
        var facts = new LetterFacts(id, decision.GrantId, decision.Outcome, grant.Language, options.Value.Municipality, grant.FundName, grant.Purpose,
            grant.RequestedAmount, decision.Amount, grant.PayeeName, payments, decision.Reasons, grant.LegalBasis, issuedOn, receivedOn,
            AppealDeadline.From(receivedOn), options.Value.AppealTo, decision.DecidedBy, replaced);
        var content = LetterText.Build(facts);
        var pdf = LetterPdf.Render(content, grant.Language, options.Value.Municipality, now);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(pdf));

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO grants.decision_letters (id, grant_id, case_id, outcome, language, amount, deciders, received_on, appeal_deadline,
                                                 replaces_letter_id, text, pdf, sha256, issued_by, issued_at)
            VALUES (@id, @GrantId, @CaseId, @Outcome, @Language, @Amount, @DecidedBy, @receivedOn, @deadline, @Replaces, @text, @pdf, @sha256, @by, @now)
            """,
            new
            {
                id, decision.GrantId, grant.CaseId, decision.Outcome, grant.Language, decision.Amount, DecidedBy = decision.DecidedBy.ToArray(),
                receivedOn = receivedOn.ToDateTime(TimeOnly.MinValue), deadline = facts.AppealDeadline.ToDateTime(TimeOnly.MinValue),
                decision.Replaces, text = content.PlainText(), pdf, sha256, by = user.Subject, now,
            }, tx, cancellationToken: ct));
        await outbox.Enqueue(new DecisionLetterIssued(grant.CaseId, decision.GrantId, id, decision.Outcome, decision.Amount, grant.Language, sha256,
            facts.AppealDeadline, decision.Replaces, user.Subject, now), tx, ct);
        return new LetterView(id, decision.GrantId, grant.CaseId, decision.Outcome, grant.Language, decision.Amount, decision.DecidedBy,
            receivedOn, facts.AppealDeadline, decision.Replaces, null, sha256, user.Subject, now);
    }

    /// <summary>The PDF of a letter the caller may see (the route's access check found it), access-logged.</summary>
    public async Task<(byte[] Pdf, string Sha256)> Pdf(NpgsqlConnection connection, Guid letterId, CurrentUser user, CancellationToken ct)
    {
        var letter = await connection.QuerySingleAsync<(Guid CaseId, byte[] Pdf, string Sha256)>(new CommandDefinition(
            "SELECT case_id, pdf, sha256 FROM grants.decision_letters WHERE id = @letterId", new { letterId }, cancellationToken: ct));
        await accessLog.Write(user, letter.CaseId, null, AccessActions.Read, $"decision letter {letterId}", connection, ct);
        return (letter.Pdf, letter.Sha256);
    }

    /// <summary>A grant's letters, oldest first (access-logged).</summary>
    public async Task<IReadOnlyList<LetterView>> ForGrant(NpgsqlConnection connection, Guid grantId, CurrentUser user, CancellationToken ct)
    {
        var letters = await Views(connection, null, "l.grant_id = @grantId", new { grantId }, ct);
        if (letters.Count > 0)
        {
            await accessLog.Write(user, letters[0].CaseId, null, AccessActions.List, "decision letters of a grant", connection, ct);
        }
        return letters;
    }

    /// <summary>The grant's letter in force (the newest, which no later letter replaced), or null before any decision.</summary>
    public static async Task<LetterView?> Current(NpgsqlTransaction tx, Guid grantId, CancellationToken ct) =>
        await Views(tx.Connection!, tx, "l.grant_id = @grantId AND NOT EXISTS (SELECT 1 FROM grants.decision_letters n WHERE n.replaces_letter_id = l.id)",
            new { grantId }, ct) is [.., var newest] ? newest : null;

    private static async Task<IReadOnlyList<LetterView>> Views(NpgsqlConnection connection, NpgsqlTransaction? tx, string where, object parameters, CancellationToken ct) =>
        (await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {ViewColumns} FROM grants.decision_letters l WHERE {where} ORDER BY l.issued_at, l.id", parameters, tx, cancellationToken: ct)))
        .Select(r => new LetterView(r.Id, r.GrantId, r.CaseId, r.Outcome, r.Language, r.Amount, [.. r.DecidedBy.Cast<string>()], r.ReceivedOn,
            r.AppealDeadline, r.ReplacesLetterId, r.ReplacedByLetterId, r.Sha256, r.IssuedBy, r.IssuedAt.AsUtc()))
        .ToList();

    private sealed record GrantFacts(Guid CaseId, string Purpose, decimal RequestedAmount, string PayeeName, string FundName, string LegalBasis, string Language);

    // Npgsql reports a text[] column as System.Array, and Dapper matches a constructor by the reported types.
    private sealed record Row(
        Guid Id, Guid GrantId, Guid CaseId, string Outcome, string Language, decimal Amount, Array DecidedBy, DateOnly ReceivedOn,
        DateOnly AppealDeadline, Guid? ReplacesLetterId, Guid? ReplacedByLetterId, string Sha256, string IssuedBy, DateTime IssuedAt);
}
