using System.ComponentModel.DataAnnotations;
using Dapper;
using Npgsql;
using Samskaping.Access;
using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Coordination;
using Samskaping.Coordination.Leads;
using Samskaping.Coordination.Sectors;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.Groups;

public sealed record GroupSector(string Sector, string Role, DateTimeOffset JoinedAt);

public sealed record LeadCoordinator(string Coordinator, string Sector, DateTimeOffset Since);

/// <summary>A case's coordination group (samarbeidsgruppe) with its current lead coordinator.</summary>
public sealed record CoordinationGroup(
    Guid CaseId, DateTimeOffset CreatedAt, IReadOnlyList<GroupSector> Sectors, LeadCoordinator? Lead, DateTimeOffset? ClosedAt = null)
{
    public bool Includes(string sector) => Sectors.Any(s => s.Sector == sector);
}

/// <summary>POST /api/coordination/cases/{caseId}/sectors: a sector joins as contributor.</summary>
public sealed record JoinSector(
    [property: MaxLength(SectorCode.MaxLength), RegularExpression(SectorCode.PatternText)] string? Sector,
    [property: AllowedValues("contributor")] string? Role);

public sealed class GroupStore(OutboxWriter outbox, AccessLog accessLog, TimeProvider clock)
{
    public const string ConsentWithdrawnReason = "consent withdrawn";

    /// <summary>Creates the group for a newly opened case: the opener's sector leads, the opener is lead coordinator.</summary>
    public async Task Create(CaseOpened opened, NpgsqlTransaction tx, CancellationToken ct)
    {
        var connection = tx.Connection!;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO coordination.groups (case_id, created_at) VALUES (@CaseId, @OpenedAt);
            INSERT INTO coordination.group_sectors (case_id, sector, role, joined_at) VALUES (@CaseId, @OpenedBySector, 'lead', @OpenedAt);
            INSERT INTO coordination.lead_coordinators (id, case_id, coordinator, sector, since, coordinator_name, coordinator_email)
            VALUES (@leadId, @CaseId, @OpenedBy, @OpenedBySector, @OpenedAt, @name, @email);
            """,
            new
            {
                opened.CaseId, opened.OpenedAt, opened.OpenedBySector, opened.OpenedBy, leadId = Guid.CreateVersion7(opened.OpenedAt),
                name = LeadStore.DisplayName(opened.OpenedByName),
                email = LeadStore.ContactEmail(opened.OpenedByEmail),
            },
            tx, cancellationToken: ct));
        // The local access tables learn it in the same transaction, so a read right after is already allowed.
        await CaseAccess.RecordOpened(opened.CaseId, opened.OpenedBySector, opened.OpenedBy, opened.OpenedAt, tx, ct);
        // Nothing is announced: the opening sector as lead and the opener as lead coordinator are what CaseOpened
        // already told every service. SectorJoinedCase and CoordinatorAssigned announce changes after the opening —
        // a sector joining, a handover accepted — and not publishing them here spares every case eight deliveries
        // (four services each) that would only repeat it (docs/performance.md).
    }

    public static async Task<CoordinationGroup?> Find(Guid caseId, NpgsqlConnection connection, CancellationToken ct)
    {
        var group = await connection.QuerySingleOrDefaultAsync<(DateTime CreatedAt, DateTime? ClosedAt)?>(new CommandDefinition(
            "SELECT created_at, closed_at FROM coordination.groups WHERE case_id = @caseId", new { caseId }, cancellationToken: ct));
        if (group is not { } g)
        {
            return null;
        }
        var sectors = await connection.QueryAsync<(string Sector, string Role, DateTime JoinedAt)>(new CommandDefinition(
            "SELECT sector, role, joined_at FROM coordination.group_sectors WHERE case_id = @caseId ORDER BY joined_at, sector",
            new { caseId }, cancellationToken: ct));
        var lead = await connection.QuerySingleOrDefaultAsync<(string Coordinator, string Sector, DateTime Since)?>(new CommandDefinition(
            "SELECT coordinator, sector, since FROM coordination.lead_coordinators WHERE case_id = @caseId AND until IS NULL",
            new { caseId }, cancellationToken: ct));
        return new CoordinationGroup(
            caseId, g.CreatedAt.AsUtc(),
            [.. sectors.Select(s => new GroupSector(s.Sector, s.Role, s.JoinedAt.AsUtc()))],
            lead is { } l ? new LeadCoordinator(l.Coordinator, l.Sector, l.Since.AsUtc()) : null,
            g.ClosedAt?.AsUtc());
    }

    /// <summary>
    /// A sector joins as contributor — only when a currently valid consent of the case covers it. The check runs
    /// under the group lock, so a withdrawal being processed at the same moment is either seen here or removes the
    /// sector right after.
    /// </summary>
    public async Task<Result<GroupSector>> Join(Guid caseId, string sector, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        if ((await GroupLock.TakeOpen(caseId, tx, ct)).Refusal is { } refusal)
        {
            return refusal;
        }
        var now = clock.Now();
        var state = await connection.QuerySingleAsync<(bool Participates, bool Covered)>(new CommandDefinition(
            $"""
            SELECT EXISTS (SELECT 1 FROM coordination.group_sectors WHERE case_id = @caseId AND sector = @sector),
                   {GroupLock.ConsentCovers("@sector")}
            """, new { caseId, sector, now }, tx, cancellationToken: ct));
        if (state.Participates)
        {
            return Refusal.Conflict("The sector takes part already.", $"Sector {sector} already takes part in case {caseId}.");
        }
        if (!state.Covered)
        {
            return Refusal.Conflict("Consent is missing.",
                $"The case's consent does not cover sector {sector}: record a consent that covers it before the sector joins.");
        }

        var joined = new GroupSector(sector, "contributor", now);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO coordination.group_sectors (case_id, sector, role, joined_at) VALUES (@caseId, @Sector, @Role, @JoinedAt)",
            new { caseId, joined.Sector, joined.Role, joined.JoinedAt }, tx, cancellationToken: ct));
        await CaseParticipation.Record(caseId, sector, joined.Role, participating: true, now, tx, ct);
        await outbox.Enqueue(new SectorJoinedCase(caseId, sector, joined.Role, now), tx, ct);
        await accessLog.Write(user, caseId, null, AccessActions.Update, $"sector {sector} joined the coordination group", tx, ct);
        await tx.CommitAsync(ct);
        return joined;
    }

    /// <summary>A sector leaves: by a worker of that sector, or by the lead coordinator. The lead's sector stays.</summary>
    public async Task<Result<string>> Leave(Guid caseId, string sector, CurrentUser user, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        var taken = await GroupLock.TakeOpen(caseId, tx, ct);
        if (taken.Refusal is { } refusal)
        {
            return refusal;
        }
        var group = taken.Value!;
        if (group.Lead != user.Subject && user.Sector != sector)
        {
            return Refusal.Forbidden("Only the sector itself or the lead coordinator may remove a sector.",
                $"You work in {user.Sector} and are not the case's lead coordinator.");
        }
        if (group.LeadSector == sector)
        {
            return Refusal.Conflict("The lead coordinator's sector cannot leave.",
                $"Sector {sector} has the main responsibility for case {caseId}: hand the lead over to another sector first.");
        }
        var now = clock.Now();
        if (!await Remove(caseId, sector, $"left (removed by {user.Subject})", now, tx, ct))
        {
            return Refusal.Conflict("The sector does not take part.", $"Sector {sector} does not take part in case {caseId}.");
        }
        await accessLog.Write(user, caseId, null, AccessActions.Update, $"sector {sector} left the coordination group", tx, ct);
        await tx.CommitAsync(ct);
        return sector;
    }

    /// <summary>
    /// After a consent was withdrawn (recorded in this transaction already): every sector that no longer has a
    /// valid consent covering it leaves the group. The lead coordinator's sector stays: the welfare laws require
    /// one service with the main responsibility at all times, so it keeps the lead, but from now on only the lead
    /// coordinator in person can open the case (the consent rule shuts out the sector's other workers) until a
    /// new consent covers it again.
    /// </summary>
    public async Task<IReadOnlyList<string>> RemoveUncovered(Guid caseId, DateTimeOffset at, NpgsqlTransaction tx, CancellationToken ct)
    {
        var group = await GroupLock.Take(caseId, tx, ct);
        if (group is null)
        {
            return [];
        }
        var uncovered = (await tx.Connection!.QueryAsync<string>(new CommandDefinition(
            $"""
            SELECT gs.sector FROM coordination.group_sectors gs
            WHERE gs.case_id = @caseId AND gs.sector IS DISTINCT FROM @leadSector
              AND NOT {GroupLock.ConsentCovers("gs.sector")}
            ORDER BY gs.sector
            """, new { caseId, leadSector = group.LeadSector, now = at }, tx, cancellationToken: ct))).AsList();
        foreach (var sector in uncovered)
        {
            await Remove(caseId, sector, ConsentWithdrawnReason, at, tx, ct);
        }
        return uncovered;
    }

    /// <summary>
    /// Follows the case's lifecycle both ways: a closed case takes no more changes and its waiting handovers are
    /// cancelled; a reopened one takes changes again. Only a change newer than the last one applied moves the group,
    /// since a CaseClosed and the reopen after it may arrive in either order; a close that came late cancels only the
    /// handovers asked before the reopen. A change before the group exists (CaseOpened not yet here) is retried.
    /// </summary>
    public static async Task RecordStatus(Guid caseId, bool closed, DateTimeOffset at, NpgsqlTransaction tx, CancellationToken ct)
    {
        var connection = tx.Connection!;
        var group = await connection.QuerySingleOrDefaultAsync<(Guid CaseId, DateTime? StatusChangedAt)?>(new CommandDefinition(
            "SELECT case_id, status_changed_at FROM coordination.groups WHERE case_id = @caseId FOR UPDATE", new { caseId }, tx, cancellationToken: ct))
            ?? throw new InvalidOperationException($"No coordination group for case {caseId} yet; the message is retried.");
        DateTimeOffset? newer = group.StatusChangedAt is { } known && known.AsUtc() > at ? known.AsUtc() : null;
        if (newer is null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE coordination.groups SET closed_at = @closedAt, status_changed_at = @at WHERE case_id = @caseId",
                new { caseId, closedAt = closed ? at : (DateTimeOffset?)null, at }, tx, cancellationToken: ct));
        }
        if (closed)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE coordination.handovers SET status = 'cancelled', decided_by = 'system', decided_at = @at, reason = 'case closed'
                WHERE case_id = @caseId AND status = 'requested' AND (@newer::timestamptz IS NULL OR requested_at < @newer)
                """, new { caseId, at, newer }, tx, cancellationToken: ct));
        }
    }

    private async Task<bool> Remove(Guid caseId, string sector, string reason, DateTimeOffset at, NpgsqlTransaction tx, CancellationToken ct)
    {
        var removed = await tx.Connection!.QuerySingleOrDefaultAsync<(string Role, DateTime JoinedAt)?>(new CommandDefinition(
            "DELETE FROM coordination.group_sectors WHERE case_id = @caseId AND sector = @sector RETURNING role, joined_at",
            new { caseId, sector }, tx, cancellationToken: ct));
        if (removed is not { } r)
        {
            return false;
        }
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO coordination.sector_departures (id, case_id, sector, role, joined_at, left_at, reason)
            VALUES (@id, @caseId, @sector, @role, @joinedAt, @at, @reason);
            UPDATE coordination.handovers SET status = 'cancelled', decided_by = 'system', decided_at = @at, reason = @cancelReason
            WHERE case_id = @caseId AND status = 'requested' AND to_sector = @sector;
            """,
            new
            {
                id = Guid.CreateVersion7(at), caseId, sector, role = r.Role, joinedAt = r.JoinedAt, at, reason,
                cancelReason = $"sector {sector} left the case",
            }, tx, cancellationToken: ct));
        await CaseParticipation.Record(caseId, sector, r.Role, participating: false, at, tx, ct);
        await outbox.Enqueue(new SectorLeftCase(caseId, sector, reason, at), tx, ct);
        return true;
    }

    /// <summary>Checks a join request's body: what is missing or not a sector code (an unknown sector is checked against the registry).</summary>
    public static (string? Sector, ValidationErrors Errors) Validate(JoinSector request)
    {
        var errors = new ValidationErrors();
        var sector = request.Sector?.Trim();
        if (string.IsNullOrEmpty(sector))
        {
            errors.Add("sector", "Required: the code of the sector that joins.");
        }
        else if (!SectorCode.IsValid(sector) || request.Sector!.Length > SectorCode.MaxLength)
        {
            errors.Add("sector", "A sector code in lowercase kebab case, like 'helse-velferd'.");
        }
        if (request.Role is not null && request.Role != "contributor")
        {
            errors.Add("role", "A joining sector is a 'contributor'; the lead changes only by handover.");
        }
        return errors.IsValid ? (sector, errors) : (null, errors);
    }
}
