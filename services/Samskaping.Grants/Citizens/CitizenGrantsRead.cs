using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Samskaping.Access;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Citizens;

/// <summary>
/// The family's view of its grants (docs/architecture.md §8), asked by the cases service for a case the citizen reaches.
/// A grant is the household's money, so it is shown only to a member of the case's household: a parent who reaches the
/// case only through a child in another household sees none of it. The family gets what the decision letter itself tells
/// them — outcome, amount, what the money is for, to whom, when it is paid — and the letter as issued. Not the workers'
/// subject ids, who requested or approved (the letter names the deciders in its own words, and only there), the account
/// numbers, the category or anything the workers wrote beside the letter.
/// </summary>
public static class CitizenGrantsRead
{
    public static void MapCitizenGrantsRead(this IEndpointRouteBuilder app)
    {
        var reads = app.MapCitizenReads("grants");
        reads.MapPost("/grants", Grants)
            .WithName("InternalCitizenGrants")
            .WithSummary("A case's grants, decisions and payments as the household sees them, for the cases service's citizen view")
            .WithDescription("Each grant with its purpose, requested amount and status, its decisions (the letters: outcome, amount, date, appeal " +
                "deadline, in force) and its payments (planned, sent, paid, failed, stopped, cancelled). Empty unless ownHousehold. Access-logged as " +
                "the citizen's own read. A service token only; the gateway never routes it.")
            .ProducesInvalid();
        reads.MapPost("/letter", Letter)
            .WithName("InternalCitizenLetter")
            .WithSummary("One decision letter of the case, as issued, for the cases service's citizen view")
            .WithDescription("The PDF (base64) and its checksum; pdf null when the case has no such letter or the citizen is not a member of its " +
                "household. Access-logged as the citizen's own read. A service token only; the gateway never routes it.")
            .ProducesInvalid();
    }

    public static async Task<Results<Ok<CitizenGrantsPart>, ProblemHttpResult>> Grants(
        CitizenReadQuery query, NpgsqlDataSource dataSource, AccessLog accessLog, CancellationToken ct)
    {
        var errors = query.Validate();
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The grants could not be read.", errors).ToProblem();
        }
        if (!query.OwnHousehold)
        {
            return TypedResults.Ok(new CitizenGrantsPart([]));
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var p = new { query.CaseId };
        var grants = await connection.QueryAsync<GrantRow>(new CommandDefinition(
            """
            SELECT id, purpose, coalesce(requested_amount, amount) AS RequestedAmount, status, requested_at AS RequestedAt, payee_name AS PayeeName
            FROM grants.grants WHERE case_id = @CaseId ORDER BY requested_at DESC, id
            """, p, cancellationToken: ct));
        var letters = (await connection.QueryAsync<LetterRow>(new CommandDefinition(
            """
            SELECT l.grant_id AS GrantId, l.id AS LetterId, l.outcome, l.amount, l.issued_at AS IssuedAt, l.appeal_deadline AS AppealDeadline,
                   NOT EXISTS (SELECT 1 FROM grants.decision_letters n WHERE n.replaces_letter_id = l.id) AS InForce
            FROM grants.decision_letters l WHERE l.case_id = @CaseId ORDER BY l.issued_at, l.id
            """, p, cancellationToken: ct))).ToLookup(l => l.GrantId);
        var payments = (await connection.QueryAsync<PaymentRow>(new CommandDefinition(
            """
            SELECT grant_id AS GrantId, number, amount, due_on AS DueOn, status, paid_on AS PaidOn
            FROM grants.disbursements WHERE case_id = @CaseId ORDER BY number
            """, p, cancellationToken: ct))).ToLookup(d => d.GrantId);
        await accessLog.WriteMany(query.AsReader(), query.Subjects(), AccessActions.Read, CitizenReadQuery.Purpose, connection, ct);
        return TypedResults.Ok(new CitizenGrantsPart([.. grants.Select(g => new CitizenGrantPart(
            g.Id, g.Purpose, g.RequestedAmount, g.Status, g.RequestedAt.AsUtc(), g.PayeeName,
            [.. letters[g.Id].Select(l => new CitizenDecisionPart(l.LetterId, l.Outcome, l.Amount, l.IssuedAt.AsUtc(), l.AppealDeadline, l.InForce))],
            [.. payments[g.Id].Select(d => new CitizenPaymentPart(d.Number, d.Amount, d.DueOn, d.Status, d.PaidOn))]))]));
    }

    public static async Task<Results<Ok<CitizenLetterPart>, ProblemHttpResult>> Letter(
        CitizenReadQuery query, NpgsqlDataSource dataSource, AccessLog accessLog, CancellationToken ct)
    {
        var errors = query.Validate();
        if (query.LetterId is null || query.LetterId == Guid.Empty)
        {
            errors.Add("letterId", "Required: the letter asked for.");
        }
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The letter could not be read.", errors).ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // The same query whether the letter is another case's, missing, or the household is not the citizen's: nothing tells them apart.
        var letter = await connection.QuerySingleOrDefaultAsync<(byte[] Pdf, string Sha256)?>(new CommandDefinition(
            "SELECT pdf, sha256 FROM grants.decision_letters WHERE id = @LetterId AND case_id = @CaseId AND @OwnHousehold",
            new { query.LetterId, query.CaseId, query.OwnHousehold }, cancellationToken: ct));
        if (letter is not { } found)
        {
            return TypedResults.Ok(new CitizenLetterPart(null, null));
        }
        await accessLog.WriteMany(query.AsReader(), query.Subjects(), AccessActions.Read, CitizenReadQuery.Purpose, connection, ct);
        return TypedResults.Ok(new CitizenLetterPart(found.Pdf, found.Sha256));
    }

    private sealed record GrantRow(Guid Id, string Purpose, decimal RequestedAmount, string Status, DateTime RequestedAt, string PayeeName);

    private sealed record LetterRow(Guid GrantId, Guid LetterId, string Outcome, decimal Amount, DateTime IssuedAt, DateOnly AppealDeadline, bool InForce);

    private sealed record PaymentRow(Guid GrantId, int Number, decimal Amount, DateOnly DueOn, string Status, DateOnly? PaidOn);
}
