using Dapper;
using Npgsql;
using Samskaping.Access;
using Samskaping.Contracts.Coordination;
using Samskaping.Coordination.Groups;
using Samskaping.Coordination.RelayLog;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.Leads;

/// <summary>
/// The lead coordinator and handovers. Exactly one current lead per case is held by the database (a unique
/// partial index); one waiting handover per case likewise. Both violations answer 409, never 500.
/// </summary>
public sealed class LeadStore(OutboxWriter outbox, AccessLog accessLog, TimeProvider clock)
{
    private const string HandoverColumns = """
        id, case_id AS CaseId, from_coordinator AS "From", from_sector AS FromSector, to_coordinator AS "To", to_sector AS ToSector,
        note, requested_at AS RequestedAt, status, decided_by AS DecidedBy, decided_at AS DecidedAt, reason
        """;

    public static async Task<IReadOnlyList<LeadPeriod>> History(Guid caseId, NpgsqlConnection connection, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<(Guid Id, string Coordinator, string Sector, DateTime Since, DateTime? Until)>(new CommandDefinition(
            "SELECT id, coordinator, sector, since, until FROM coordination.lead_coordinators WHERE case_id = @caseId ORDER BY since, until NULLS LAST",
            new { caseId }, cancellationToken: ct));
        return [.. rows.Select(r => new LeadPeriod(r.Id, r.Coordinator, r.Sector, r.Since.AsUtc(), r.Until?.AsUtc()))];
    }

    public static async Task<IReadOnlyList<Handover>> Handovers(Guid caseId, NpgsqlConnection connection, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<HandoverRow>(new CommandDefinition(
            $"SELECT {HandoverColumns} FROM coordination.handovers WHERE case_id = @caseId ORDER BY requested_at, id",
            new { caseId }, cancellationToken: ct));
        return [.. rows.Select(r => r.ToHandover())];
    }

    /// <summary>The name a lead is shown to the family by: the token's name claim, trimmed, or none when it is blank or too long to be a name.</summary>
    public static string? DisplayName(string? name) => name?.Trim() is { Length: >= 1 and <= 200 } trimmed ? trimmed : null;

    /// <summary>
    /// The address a family writes to its lead at: the token's email claim, trimmed, or none when it does not look like
    /// one address (a family is never shown something it could not write to).
    /// </summary>
    public static string? ContactEmail(string? email) =>
        email?.Trim() is { Length: >= 3 and <= 254 } trimmed && trimmed.IndexOf('@') is > 0 and var at && at == trimmed.LastIndexOf('@')
            && at < trimmed.Length - 1 && !trimmed.Any(char.IsWhiteSpace)
            ? trimmed : null;

    /// <summary>The case a handover belongs to (<see cref="CaseOf"/>), or null when there is no such handover.</summary>
    public static Task<Guid?> CaseOfHandover(Guid handoverId, NpgsqlConnection connection, CancellationToken ct) =>
        connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT case_id FROM coordination.handovers WHERE id = @handoverId", new { handoverId }, cancellationToken: ct));

    public static async Task<Handover?> FindHandover(Guid caseId, Guid handoverId, NpgsqlConnection connection, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<HandoverRow>(new CommandDefinition(
            $"SELECT {HandoverColumns} FROM coordination.handovers WHERE case_id = @caseId AND id = @handoverId",
            new { caseId, handoverId }, cancellationToken: ct));
        return row?.ToHandover();
    }

    /// <summary>The current lead asks <c>To</c> (of <c>ToSector</c>, a participating sector) to take over.</summary>
    public async Task<Result<Handover>> Request(Guid caseId, RequestHandover request, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        var taken = await GroupLock.TakeOpen(caseId, tx, ct);
        if (taken.Refusal is { } refusal)
        {
            return refusal;
        }
        var group = taken.Value!;
        if (group.Lead != user.Subject)
        {
            return Refusal.Forbidden("Only the lead coordinator may hand over.", $"The lead coordinator of case {caseId} is someone else.");
        }
        if (request.To == user.Subject)
        {
            return Refusal.Unprocessable("You are the lead coordinator already.", "to", "Name the person who should take over from you.");
        }
        var participates = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM coordination.group_sectors WHERE case_id = @caseId AND sector = @sector)",
            new { caseId, sector = request.ToSector }, tx, cancellationToken: ct));
        if (!participates)
        {
            return Refusal.Conflict("The receiving sector does not take part.",
                $"Sector {request.ToSector} does not take part in case {caseId}: it must join (with consent covering it) before it can lead.");
        }

        var now = clock.Now();
        var handover = new Handover(Guid.CreateVersion7(now), caseId, user.Subject, group.LeadSector!, request.To!, request.ToSector!,
            request.Note, now, "requested", null, null, null);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO coordination.handovers (id, case_id, from_coordinator, from_sector, to_coordinator, to_sector, note, requested_at, status)
                VALUES (@Id, @CaseId, @From, @FromSector, @To, @ToSector, @Note, @RequestedAt, @Status)
                """, handover, tx, cancellationToken: ct));
        }
        catch (PostgresException e) when (DatabaseErrors.IsUniqueViolation(e, "handovers_one_open"))
        {
            return WaitingAlready(caseId);
        }
        await outbox.Enqueue(new CoordinatorHandoverRequested(caseId, handover.Id, handover.From, handover.To, handover.ToSector, now), tx, ct);
        await accessLog.Write(user, caseId, null, AccessActions.Create, "request lead coordinator handover", tx, ct);
        await tx.CommitAsync(ct);
        return handover;
    }

    /// <summary>
    /// The receiver accepts: in one transaction the handover is marked accepted (only if still waiting), the old
    /// lead's period ends, the new one starts, the sectors' roles follow, and CoordinatorAssigned is enqueued.
    /// </summary>
    public async Task<Result<LeadPeriod>> Accept(Guid caseId, Guid handoverId, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        var taken = await GroupLock.TakeOpen(caseId, tx, ct);
        if (taken.Refusal is { } refusal)
        {
            return refusal;
        }
        var group = taken.Value!;
        var now = clock.Now();
        var handover = await Decide(handoverId, caseId, "accepted", null, user, now, tx, ct);
        if (handover is null)
        {
            return NotWaiting(handoverId);
        }

        var period = new LeadPeriod(Guid.CreateVersion7(now), handover.To, handover.ToSector, now, null);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE coordination.lead_coordinators SET until = @now WHERE case_id = @caseId AND until IS NULL;
                INSERT INTO coordination.lead_coordinators (id, case_id, coordinator, sector, since, coordinator_name, coordinator_email)
                VALUES (@Id, @caseId, @Coordinator, @Sector, @now, @name, @email);
                UPDATE coordination.group_sectors SET role = CASE WHEN sector = @Sector THEN 'lead' ELSE 'contributor' END
                WHERE case_id = @caseId AND (sector = @Sector OR role = 'lead');
                """, new { period.Id, caseId, period.Coordinator, period.Sector, now, name = DisplayName(user.Name), email = ContactEmail(user.Email) }, tx, cancellationToken: ct));
        }
        catch (PostgresException e) when (DatabaseErrors.IsUniqueViolation(e, "lead_coordinators_one_current"))
        {
            return Refusal.Conflict("Someone else became lead coordinator at the same moment.", "Read the case's leads and try again.");
        }
        if (group.LeadSector != period.Sector)
        {
            if (group.LeadSector is not null)
            {
                await CaseParticipation.Record(caseId, group.LeadSector, "contributor", participating: true, now, tx, ct);
            }
            await CaseParticipation.Record(caseId, period.Sector, "lead", participating: true, now, tx, ct);
        }
        var assigned = new CoordinatorAssigned(caseId, period.Coordinator, period.Sector, now);
        await CaseAccess.RecordLead(assigned, tx, ct);
        await outbox.Enqueue(assigned, tx, ct);
        await RelayLogStore.AppendSystemEntry(caseId, "handover", handover.To, handover.ToSector,
            $"{handover.To} ({handover.ToSector}) took over as lead coordinator from {handover.From} ({handover.FromSector}).", now, tx, ct);
        await accessLog.Write(user, caseId, null, AccessActions.Update, "accept lead coordinator handover", tx, ct);
        await tx.CommitAsync(ct);
        return period;
    }

    /// <summary>The receiver declines with a reason; the current lead stays responsible.</summary>
    public Task<Result<Handover>> Decline(Guid caseId, Guid handoverId, string reason, CurrentUser user, NpgsqlConnection connection, CancellationToken ct) =>
        Close(caseId, handoverId, "declined", reason, user, "decline lead coordinator handover", connection, ct);

    /// <summary>The current lead withdraws the request.</summary>
    public Task<Result<Handover>> Cancel(Guid caseId, Guid handoverId, CurrentUser user, NpgsqlConnection connection, CancellationToken ct) =>
        Close(caseId, handoverId, "cancelled", "cancelled by the lead coordinator", user, "cancel lead coordinator handover", connection, ct);

    private async Task<Result<Handover>> Close(
        Guid caseId, Guid handoverId, string status, string reason, CurrentUser user, string purpose, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await GroupLock.Take(caseId, tx, ct) is null)
        {
            return GroupLock.NotFound(caseId);
        }
        var handover = await Decide(handoverId, caseId, status, reason, user, clock.Now(), tx, ct);
        if (handover is null)
        {
            return NotWaiting(handoverId);
        }
        await accessLog.Write(user, caseId, null, AccessActions.Update, purpose, tx, ct);
        await tx.CommitAsync(ct);
        return handover;
    }

    // A conditional update: only a handover that is still waiting can be decided, and only once.
    private static async Task<Handover?> Decide(Guid handoverId, Guid caseId, string status, string? reason, CurrentUser user, DateTimeOffset now, NpgsqlTransaction tx, CancellationToken ct)
    {
        var row = await tx.Connection!.QuerySingleOrDefaultAsync<HandoverRow>(new CommandDefinition(
            $"""
            UPDATE coordination.handovers SET status = @status, decided_by = @by, decided_at = @now, reason = @reason
            WHERE id = @handoverId AND case_id = @caseId AND status = 'requested'
            RETURNING {HandoverColumns}
            """, new { handoverId, caseId, status, by = user.Subject, now, reason }, tx, cancellationToken: ct));
        return row?.ToHandover();
    }

    private static Refusal WaitingAlready(Guid caseId) =>
        Refusal.Conflict("A handover is waiting already.", $"Case {caseId} has a handover waiting for an answer: it must be accepted, declined or cancelled first.");

    private static Refusal NotWaiting(Guid handoverId) =>
        Refusal.Conflict("The handover is not waiting any more.", $"Handover {handoverId} was accepted, declined or cancelled already.");

    private sealed record HandoverRow(
        Guid Id, Guid CaseId, string From, string FromSector, string To, string ToSector, string? Note, DateTime RequestedAt,
        string Status, string? DecidedBy, DateTime? DecidedAt, string? Reason)
    {
        public Handover ToHandover() => new(Id, CaseId, From, FromSector, To, ToSector, Note, RequestedAt.AsUtc(), Status, DecidedBy, DecidedAt?.AsUtc(), Reason);
    }
}
