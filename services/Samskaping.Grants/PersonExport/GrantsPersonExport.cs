using Dapper;
using Npgsql;
using Samskaping.Access;

namespace Samskaping.Grants.PersonExport;

/// <summary>
/// Grants' part of a person's export: the grants of the person's cases, the decisions (the letters' text; the PDF is
/// the same text and the person has it), the disbursements (payments) and appeals. Nothing is held back: a grant is
/// made to the household, and everything here was written to or about it.
/// </summary>
public static class GrantsPersonExport
{
    public static async Task<PersonExportContent> Read(NpgsqlConnection connection, PersonExportQuery query, CancellationToken ct)
    {
        var p = new { caseIds = query.Cases };
        var grants = await connection.QueryAsync<Grant>(new CommandDefinition(
            """
            SELECT g.id, g.case_id AS CaseId, f.name AS Fund, g.amount, g.purpose, g.category, g.payee_kind AS PayeeKind, g.payee_name AS PayeeName,
                   g.account_number AS AccountNumber, g.organisation_number AS OrganisationNumber, g.status,
                   g.requested_by AS RequestedBy, g.requested_by_sector AS RequestedBySector, g.requested_at AS RequestedAt,
                   g.decided_by AS DecidedBy, g.second_approver AS SecondApprover, g.decided_at AS DecidedAt, g.decline_reason AS DeclineReason
            FROM grants.grants g JOIN grants.funds f ON f.id = g.fund_id
            WHERE g.case_id = ANY(@caseIds) ORDER BY g.requested_at, g.id
            """, p, cancellationToken: ct));
        var decisions = await connection.QueryAsync<Decision>(new CommandDefinition(
            """
            SELECT id, grant_id AS GrantId, case_id AS CaseId, outcome, language, amount, received_on AS ReceivedOn,
                   appeal_deadline AS AppealDeadline, replaces_letter_id AS ReplacesLetterId, text, issued_by AS IssuedBy, issued_at AS IssuedAt
            FROM grants.decision_letters WHERE case_id = ANY(@caseIds) ORDER BY issued_at, id
            """, p, cancellationToken: ct));
        var payments = await connection.QueryAsync<Payment>(new CommandDefinition(
            """
            SELECT id, grant_id AS GrantId, case_id AS CaseId, number, amount, due_on AS DueOn, status, paid_on AS PaidOn,
                   payment_reference AS PaymentReference, reason, changed_at AS ChangedAt
            FROM grants.disbursements WHERE case_id = ANY(@caseIds) ORDER BY grant_id, number
            """, p, cancellationToken: ct));
        var appeals = await connection.QueryAsync<Appeal>(new CommandDefinition(
            """
            SELECT id, grant_id AS GrantId, case_id AS CaseId, received_on AS ReceivedOn, appellant, text, deadline, late, status,
                   outcome, outcome_on AS OutcomeOn, outcome_note AS OutcomeNote
            FROM grants.appeals WHERE case_id = ANY(@caseIds) ORDER BY registered_at, id
            """, p, cancellationToken: ct));
        return new PersonExportContent(new GrantsData([.. grants], [.. decisions], [.. payments], [.. appeals]), []);
    }

    public sealed record GrantsData(
        IReadOnlyList<Grant> Grants, IReadOnlyList<Decision> Decisions, IReadOnlyList<Payment> Payments, IReadOnlyList<Appeal> Appeals);

    public sealed record Grant(Guid Id, Guid CaseId, string Fund, decimal Amount, string Purpose, string? Category, string PayeeKind,
        string PayeeName, string AccountNumber, string? OrganisationNumber, string Status, string RequestedBy, string RequestedBySector,
        DateTime RequestedAt, string? DecidedBy, string? SecondApprover, DateTime? DecidedAt, string? DeclineReason);

    public sealed record Decision(Guid Id, Guid GrantId, Guid CaseId, string Outcome, string Language, decimal Amount, DateOnly ReceivedOn,
        DateOnly AppealDeadline, Guid? ReplacesLetterId, string Text, string IssuedBy, DateTime IssuedAt);

    public sealed record Payment(Guid Id, Guid GrantId, Guid CaseId, int Number, decimal Amount, DateOnly DueOn, string Status,
        DateOnly? PaidOn, string? PaymentReference, string? Reason, DateTime? ChangedAt);

    public sealed record Appeal(Guid Id, Guid GrantId, Guid CaseId, DateOnly ReceivedOn, string Appellant, string Text, DateOnly Deadline,
        bool Late, string Status, string? Outcome, DateOnly? OutcomeOn, string? OutcomeNote);
}
