using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.Grants.Funds;
using Samskaping.Grants.Requests;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Letters;

/// <param name="Language">nb (bokmål) or nn (nynorsk).</param>
public sealed record LetterLanguageBody([property: MaxLength(2)] string? Language);

public sealed record LetterLanguageView(Guid CaseId, Guid HouseholdId, string Language);

/// <param name="LegalBasis">The rules the fund's decisions rest on, as a letter names them after "Vedtaket er gjort etter".</param>
public sealed record LegalBasisBody([property: MaxLength(LegalBasisBody.MaxLength)] string? LegalBasis)
{
    public const int MaxLength = 500;
}

public sealed record LegalBasisView(Guid FundId, string LegalBasis);

/// <summary>Decision letters: the PDF for workers of the case, the household's written standard, a fund's legal basis.</summary>
public static class LettersApi
{
    public static void MapLetterEndpoints(this IEndpointRouteBuilder app)
    {
        var grants = app.MapApiGroup("/api/grants", "Letters", Policies.SectorStaff);

        grants.MapGet("/letters/{letterId:guid}", Download)
            .RequireCaseAccess("letterId", DecisionLetters.CaseOf, DecisionLetters.NotFound)
            .WithName("DownloadDecisionLetter")
            .WithSummary("A decision letter as issued: PDF/A, unchanged since")
            .WithDescription("For workers whose sector takes part in the case (otherwise 404); the read is access-logged. The X-Content-SHA256 " +
                "header is the checksum stored when the letter was issued.")
            .Produces<byte[]>(StatusCodes.Status200OK, "application/pdf");

        grants.MapGet("/grants/{grantId:guid}/letters", ForGrant)
            .RequireCaseAccess("grantId", GrantStore.CaseOf, GrantStore.NotFound)
            .WithName("ListDecisionLetters")
            .WithSummary("A grant's decision letters, oldest first, each with what it replaces or was replaced by");

        var household = grants.MapGroup("/cases/{caseId:guid}/letter-language").RequireCaseAccess();
        household.MapGet("", GetLanguage)
            .WithName("GetLetterLanguage")
            .WithSummary("The written standard of the household's letters: nb (bokmål, the default) or nn (nynorsk)");
        household.MapPut("", SetLanguage)
            .WithName("SetLetterLanguage")
            .WithSummary("Choose bokmål (nb) or nynorsk (nn) for the letters of the case's household")
            .WithDescription("Applies to letters issued from now on; an issued letter is never changed.")
            .ProducesInvalid();

        app.MapApiGroup("/api/grants/funds/{fundId:guid}", "Letters")
            .RequireAuthorization(GrantPolicies.FundManager)
            .AddEndpointFilter(FundsApi.OnlyItsManagers)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .MapPut("/legal-basis", SetLegalBasis)
            .WithName("SetFundLegalBasis")
            .WithSummary("Set the legal basis the fund's decision letters name")
            .WithDescription("For the fund's managers. Applies to letters issued from now on.")
            .ProducesInvalid();
    }

    public static async Task<FileContentHttpResult> Download(
        Guid letterId, CurrentUser user, DecisionLetters letters, DbSession session, HttpResponse response, CancellationToken ct)
    {
        var (pdf, sha256) = await letters.Pdf(await session.Connection(ct), letterId, user, ct);
        response.Headers["X-Content-SHA256"] = sha256;
        return TypedResults.File(pdf, "application/pdf", $"vedtak-{letterId}.pdf");
    }

    public static async Task<Ok<IReadOnlyList<LetterView>>> ForGrant(
        Guid grantId, CurrentUser user, DecisionLetters letters, DbSession session, CancellationToken ct) =>
        TypedResults.Ok(await letters.ForGrant(await session.Connection(ct), grantId, user, ct));

    public static async Task<Results<Ok<LetterLanguageView>, ProblemHttpResult>> GetLanguage(
        Guid caseId, DbSession session, CancellationToken ct)
    {
        var connection = await session.Connection(ct);
        var household = await HouseholdOf(connection, caseId, ct);
        if (household is null)
        {
            return Refusal.CaseNotFound(caseId).ToProblem();
        }
        var language = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT language FROM grants.household_letter_languages WHERE household_id = @household", new { household }, cancellationToken: ct));
        return TypedResults.Ok(new LetterLanguageView(caseId, household.Value, language ?? LetterLanguages.Bokmal));
    }

    public static async Task<Results<Ok<LetterLanguageView>, ProblemHttpResult>> SetLanguage(
        Guid caseId, LetterLanguageBody body, CurrentUser user, DbSession session, TimeProvider clock, CancellationToken ct)
    {
        if (body.Language is not (LetterLanguages.Bokmal or LetterLanguages.Nynorsk))
        {
            return Refusal.Unprocessable("Not a written standard of the letters.", "language", "'nb' (bokmål) or 'nn' (nynorsk).").ToProblem();
        }
        var connection = await session.Connection(ct);
        var household = await HouseholdOf(connection, caseId, ct);
        if (household is null)
        {
            return Refusal.CaseNotFound(caseId).ToProblem();
        }
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO grants.household_letter_languages (household_id, language, set_by, set_at) VALUES (@household, @language, @by, @now)
            ON CONFLICT (household_id) DO UPDATE SET language = excluded.language, set_by = excluded.set_by, set_at = excluded.set_at
            """, new { household, language = body.Language, by = user.Subject, now = clock.Now() }, cancellationToken: ct));
        return TypedResults.Ok(new LetterLanguageView(caseId, household.Value, body.Language));
    }

    public static async Task<Results<Ok<LegalBasisView>, ProblemHttpResult>> SetLegalBasis(
        Guid fundId, LegalBasisBody body, DbSession session, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var basis = errors.Text("legalBasis", body.LegalBasis, LegalBasisBody.MaxLength);
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The legal basis is not acceptable as sent.", errors).ToProblem();
        }
        await (await session.Connection(ct)).ExecuteAsync(new CommandDefinition(
            "UPDATE grants.funds SET legal_basis = @basis WHERE id = @fundId", new { fundId, basis }, cancellationToken: ct));
        return TypedResults.Ok(new LegalBasisView(fundId, basis));
    }

    /// <summary>The case's household as grants knows it (the case itself until cases tells), or null for a case grants has not seen opened.</summary>
    private static async Task<Guid?> HouseholdOf(Npgsql.NpgsqlConnection connection, Guid caseId, CancellationToken ct) =>
        await GrantStore.CaseFacts(connection, null, caseId, ct) is { Opened: true } facts ? facts.HouseholdId : null;
}
