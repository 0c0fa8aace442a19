using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Samskaping.Cases.Cases;
using Samskaping.Contracts.Cases;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Retention;

/// <summary>Why a legal hold is placed or lifted, or a case erased; the length is in the OpenAPI document too.</summary>
public sealed record ReasonRequest([property: MaxLength(RetentionApi.MaxReasonLength)] string? Reason);

/// <summary>
/// Retention and anonymisation for the privacy officer (any sector; docs/privacy.md): a legal hold keeps a case from the
/// retention sweep; erasure anonymises a closed case that was opened by mistake; the status shows which services have
/// done their part. A case must be closed before it is erased, as before the sweep takes it: closing records why in
/// the lifecycle history, and no worker is still writing to it.
/// </summary>
public static class RetentionApi
{
    public const int MaxReasonLength = 2000;

    public static void MapRetentionEndpoints(this IEndpointRouteBuilder app)
    {
        var privacy = app.MapApiGroup("/api/cases", "Retention", Policies.PrivacyOfficer).MapGroup("/{id:guid}");

        privacy.MapPost("/legal-hold", PlaceHold)
            .WithName("PlaceLegalHold")
            .WithSummary("Place a legal hold on a case, with a reason: the retention sweep never anonymises it while the hold lasts")
            .WithDescription("One hold at a time (409 while one is in place, or when the case is anonymised). Who, when and why are kept.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        privacy.MapPost("/legal-hold/lift", LiftHold)
            .WithName("LiftLegalHold")
            .WithSummary("Lift the case's legal hold, with a reason")
            .WithDescription("409 when the case is under no hold. The hold and its lifting stay on record; the next sweep takes the case if its retention period ran out.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        privacy.MapPost("/erasure", Erase)
            .WithName("EraseCase")
            .WithSummary("Erase a closed case that was opened by mistake (GDPR art. 17), with a reason")
            .WithDescription("Removes the case's personal data in cases at once and orders every other service to do the same (CaseAnonymisationOrdered, " +
                "ground opened-by-mistake). The case must be closed and under no legal hold (409 otherwise); an anonymised case is a 409 too. " +
                "Answers the anonymisation status.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        privacy.MapGet("/anonymisation", Status)
            .WithName("GetCaseAnonymisation")
            .WithSummary("When, why and by whom the case's anonymisation was ordered, and which services are done and which are due")
            .WithDescription("404 when the case does not exist or its anonymisation was never ordered.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static async Task<Results<Created<LegalHoldDto>, ProblemHttpResult>> PlaceHold(
        Guid id, ReasonRequest request, CurrentUser user, NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var reason = errors.Text("reason", request.Reason, MaxReasonLength);
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The legal hold was not placed.", errors).ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await Refuse(id, tx, ct) is { } refusal)
        {
            return refusal.ToProblem();
        }
        var now = clock.Now();
        var hold = new LegalHoldDto(Guid.CreateVersion7(now), id, reason, user.Subject, now, null, null, null);
        var placed = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cases.legal_holds (id, case_id, reason, placed_by, placed_at) VALUES (@Id, @CaseId, @Reason, @PlacedBy, @PlacedAt)
            ON CONFLICT (case_id) WHERE lifted_at IS NULL DO NOTHING
            """, hold, tx, cancellationToken: ct));
        if (placed == 0)
        {
            return Refusal.Conflict("The case is under a legal hold already.", $"The case {id} is under a legal hold already; lift it before placing another.").ToProblem();
        }
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/cases/{id}/legal-hold", hold);
    }

    public static async Task<Results<Ok<LegalHoldDto>, ProblemHttpResult>> LiftHold(
        Guid id, ReasonRequest request, CurrentUser user, NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var reason = errors.Text("reason", request.Reason, MaxReasonLength);
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The legal hold was not lifted.", errors).ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (!await Exists(id, connection, ct))
        {
            return Refusal.CaseNotFound(id).ToProblem();
        }
        var lifted = await connection.QuerySingleOrDefaultAsync<HoldRow>(new CommandDefinition(
            """
            UPDATE cases.legal_holds SET lifted_by = @subject, lifted_at = @now, lift_reason = @reason
            WHERE case_id = @id AND lifted_at IS NULL
            RETURNING id, case_id AS CaseId, reason, placed_by AS PlacedBy, placed_at AS PlacedAt, lifted_by AS LiftedBy, lifted_at AS LiftedAt, lift_reason AS LiftReason
            """, new { id, subject = user.Subject, now = clock.Now(), reason }, cancellationToken: ct));
        return lifted is null
            ? Refusal.Conflict("The case is under no legal hold.", $"The case {id} is under no legal hold to lift.").ToProblem()
            : TypedResults.Ok(new LegalHoldDto(lifted.Id, lifted.CaseId, lifted.Reason, lifted.PlacedBy, lifted.PlacedAt.AsUtc(),
                lifted.LiftedBy, lifted.LiftedAt?.AsUtc(), lifted.LiftReason));
    }

    public static async Task<Results<Ok<AnonymisationStatusDto>, ProblemHttpResult>> Erase(
        Guid id, ReasonRequest request, CurrentUser user, NpgsqlDataSource dataSource, AnonymisationStore store, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var reason = errors.Text("reason", request.Reason, MaxReasonLength);
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The case was not erased.", errors).ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var state = await connection.QuerySingleOrDefaultAsync<(string Status, bool Anonymised, bool Held)>(new CommandDefinition(
            """
            SELECT c.status, c.anonymised_at IS NOT NULL OR EXISTS (SELECT 1 FROM cases.anonymisation_orders o WHERE o.case_id = c.id),
                   EXISTS (SELECT 1 FROM cases.legal_holds h WHERE h.case_id = c.id AND h.lifted_at IS NULL)
            FROM cases.cases c WHERE c.id = @id
            """, new { id }, cancellationToken: ct));
        if (state.Status is null)
        {
            return Refusal.CaseNotFound(id).ToProblem();
        }
        if (state.Anonymised)
        {
            return AnonymisationStore.Anonymised(id).ToProblem();
        }
        if (state.Status != CaseStatuses.Closed)
        {
            return Refusal.Conflict(Case.StateDoesNotAllow, $"The case {id} is {state.Status}: close it (with the reason) before erasing it.").ToProblem();
        }
        if (state.Held)
        {
            return Refusal.Conflict("The case is under a legal hold.", $"The case {id} is under a legal hold; lift it before erasing the case.").ToProblem();
        }
        if (await store.Order(id, AnonymisationGrounds.OpenedByMistake, reason, user.Subject, user, connection, ct) is null)
        {
            return AnonymisationStore.Anonymised(id).ToProblem();
        }
        return TypedResults.Ok((await AnonymisationStore.Status(id, connection, ct))!);
    }

    public static async Task<Results<Ok<AnonymisationStatusDto>, ProblemHttpResult>> Status(Guid id, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (!await Exists(id, connection, ct))
        {
            return Refusal.CaseNotFound(id).ToProblem();
        }
        return await AnonymisationStore.Status(id, connection, ct) is { } status
            ? TypedResults.Ok(status)
            : Refusal.NotFound("The case is not anonymised.", $"The anonymisation of the case {id} was never ordered.").ToProblem();
    }

    private static async Task<Refusal?> Refuse(Guid id, NpgsqlTransaction tx, CancellationToken ct)
    {
        var anonymised = await tx.Connection!.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(
            "SELECT anonymised_at IS NOT NULL FROM cases.cases WHERE id = @id FOR SHARE", new { id }, tx, cancellationToken: ct));
        return anonymised switch
        {
            null => Refusal.CaseNotFound(id),
            true => AnonymisationStore.Anonymised(id),
            false => null,
        };
    }

    private static Task<bool> Exists(Guid id, NpgsqlConnection connection, CancellationToken ct) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM cases.cases WHERE id = @id)", new { id }, cancellationToken: ct));

    private sealed record HoldRow(Guid Id, Guid CaseId, string Reason, string PlacedBy, DateTime PlacedAt, string? LiftedBy, DateTime? LiftedAt, string? LiftReason);
}
