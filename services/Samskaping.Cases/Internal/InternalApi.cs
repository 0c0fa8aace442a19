using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Samskaping.Access;
using Samskaping.Cases.PersonalData;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Internal;

/// <summary>A household member with the identity number in clear, for another Samskaping service only.</summary>
public sealed record InternalMember(Guid PersonId, string Role, DateOnly BirthDate, string? IdentityNumber);

/// <summary>The person the NAV-style benefit system knows a case by (søker).</summary>
public sealed record InternalApplicant(Guid PersonId, string IdentityNumber);

public sealed record ResolvePerson([property: MaxLength(Samskaping.ServiceDefaults.IdentityNumber.MaxInputLength)] string? IdentityNumber);

public sealed record InternalMembership(Guid PersonId, Guid HouseholdId, IReadOnlyList<Guid> CaseIds);

/// <summary>
/// Service-to-service endpoints under <c>/internal/cases</c>: the benefits service needs identity numbers to talk
/// to the benefit system, and nothing else may have them. Only a service token (<see cref="Policies.Service"/>)
/// gets in; the gateway routes <c>/api/…</c> only, so these are unreachable from outside. Every answer is a read of
/// people's data and is access-logged with the purpose the calling service gives in <c>X-Access-Purpose</c>.
/// </summary>
public static class InternalApi
{
    public const string PurposeHeader = "X-Access-Purpose";

    public static void MapInternalEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/internal/cases", "Internal (service-to-service)", Policies.Service);

        group.MapGet("/households/{householdId:guid}/members", Members)
            .WithName("InternalHouseholdMembers")
            .WithSummary("A household's members with their identity numbers, for the benefits service")
            .WithDescription($"Needs the {PurposeHeader} header (1–200 characters): it is written to the access log for every member returned.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/cases/{caseId:guid}/applicant", Applicant)
            .WithName("InternalCaseApplicant")
            .WithSummary("The case's applicant (søker) for the Digisos status feed")
            .WithDescription("The household's earliest-added adult (parent, guardian or other adult) with an identity number. " +
                $"404 when the case is unknown or has no such member yet. Needs {PurposeHeader}.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/persons/resolve", Resolve)
            .WithName("InternalResolvePerson")
            .WithSummary("Which households and cases a person with this identity number belongs to")
            .WithDescription("The identity number goes in the body, never in the URL. One entry per household, with the personId that " +
                $"household knows the person by (each household keeps its own record). An unknown person is an empty list. Needs {PurposeHeader}.")
            .ProducesInvalid();
    }

    public static async Task<Results<Ok<IReadOnlyList<InternalMember>>, ProblemHttpResult>> Members(
        Guid householdId, HttpRequest request, CurrentUser caller, NpgsqlDataSource dataSource, PersonalDataProtector protector,
        AccessLog accessLog, CancellationToken ct)
    {
        if (Purpose(request, out var purpose) is { } invalid)
        {
            return invalid.ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM cases.households WHERE id = @householdId)", new { householdId }, tx, cancellationToken: ct));
        if (!exists)
        {
            return Refusal.NotFound("Household not found.", $"There is no household {householdId}.").ToProblem();
        }
        var rows = await connection.QueryAsync<MemberRow>(new CommandDefinition(
            """
            SELECT p.id AS PersonId, m.role AS Role, p.birth_date AS BirthDate, p.identity_number_encrypted AS Encrypted
            FROM cases.household_members m JOIN cases.persons p ON p.id = m.person_id
            WHERE m.household_id = @householdId
            ORDER BY m.added_at, p.id
            """, new { householdId }, tx, cancellationToken: ct));
        var members = new List<InternalMember>();
        foreach (var row in rows)
        {
            members.Add(new InternalMember(row.PersonId, row.Role, row.BirthDate,
                row.Encrypted is null ? null : protector.Decrypt(row.Encrypted, row.PersonId)));
            await accessLog.Write(caller, null, row.PersonId, AccessActions.Read, purpose, tx, ct);
        }
        await tx.CommitAsync(ct);
        return TypedResults.Ok<IReadOnlyList<InternalMember>>(members);
    }

    public static async Task<Results<Ok<InternalApplicant>, ProblemHttpResult>> Applicant(
        Guid caseId, HttpRequest request, CurrentUser caller, NpgsqlDataSource dataSource, PersonalDataProtector protector,
        AccessLog accessLog, CancellationToken ct)
    {
        if (Purpose(request, out var purpose) is { } invalid)
        {
            return invalid.ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<ApplicantRow>(new CommandDefinition(
            """
            SELECT p.id AS PersonId, p.identity_number_encrypted AS Encrypted
            FROM cases.cases sak
            JOIN cases.household_members m ON m.household_id = sak.household_id
            JOIN cases.persons p ON p.id = m.person_id
            WHERE sak.id = @caseId
              AND m.role IN ('parent', 'guardian', 'other-adult')
              AND p.identity_number_encrypted IS NOT NULL
            ORDER BY m.added_at, p.id
            LIMIT 1
            """, new { caseId }, cancellationToken: ct));
        if (row is null)
        {
            return Refusal.NotFound("No applicant.", $"Case {caseId} is unknown or its household has no adult with an identity number yet.").ToProblem();
        }
        await accessLog.Write(caller, caseId, row.PersonId, AccessActions.Read, purpose, ct);
        return TypedResults.Ok(new InternalApplicant(row.PersonId, protector.Decrypt(row.Encrypted, row.PersonId)));
    }

    public static async Task<Results<Ok<IReadOnlyList<InternalMembership>>, ProblemHttpResult>> Resolve(
        ResolvePerson body, HttpRequest request, CurrentUser caller, NpgsqlDataSource dataSource, PersonalDataProtector protector,
        AccessLog accessLog, CancellationToken ct)
    {
        if (Purpose(request, out var purpose) is { } invalid)
        {
            return invalid.ToProblem();
        }
        var number = IdentityNumber.Parse(body.IdentityNumber, out var why);
        if (number is null)
        {
            return Refusal.Unprocessable("The person could not be resolved.", "identityNumber", body.IdentityNumber is null ? "Required." : why!).ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<MembershipRow>(new CommandDefinition(
            """
            SELECT m.person_id AS PersonId, m.household_id AS HouseholdId,
                   coalesce(array_agg(sak.id ORDER BY sak.opened_at) FILTER (WHERE sak.id IS NOT NULL), '{}') AS CaseIds
            FROM cases.household_members m
            LEFT JOIN cases.cases sak ON sak.household_id = m.household_id
            WHERE m.identity_number_lookup = @lookup
            GROUP BY m.person_id, m.household_id
            ORDER BY m.household_id
            """, new { lookup = protector.LookupHash(number) }, cancellationToken: ct))).AsList();
        foreach (var personId in rows.Select(r => r.PersonId).Distinct())
        {
            await accessLog.Write(caller, null, personId, AccessActions.Read, purpose, ct);
        }
        return TypedResults.Ok<IReadOnlyList<InternalMembership>>(
            rows.Select(r => new InternalMembership(r.PersonId, r.HouseholdId, r.CaseIds)).ToList());
    }

    private static Refusal? Purpose(HttpRequest request, out string purpose)
    {
        purpose = request.Headers[PurposeHeader].ToString().Trim();
        return purpose.Length is >= 1 and <= 200
            ? null
            : Refusal.Unprocessable("The purpose of the read is missing.", PurposeHeader, "Required: why the data is read (1–200 characters); it goes to the access log.");
    }

    private sealed record MemberRow(Guid PersonId, string Role, DateOnly BirthDate, byte[]? Encrypted);

    private sealed record ApplicantRow(Guid PersonId, byte[] Encrypted);

    private sealed class MembershipRow
    {
        public Guid PersonId { get; init; }

        public Guid HouseholdId { get; init; }

        public Guid[] CaseIds { get; init; } = [];
    }
}
