using Dapper;
using Npgsql;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.Groups;

/// <summary>The parts of a group every change checks, read under a row lock.</summary>
public sealed record GroupState(Guid CaseId, bool Closed, string? Lead, string? LeadSector);

public static class GroupLock
{
    /// <summary>
    /// Locks the case's group row for the rest of the transaction. Every change to a group takes this lock first,
    /// so a join and a consent withdrawal (or two handovers) on one case happen one after the other, each seeing
    /// what the other committed.
    /// </summary>
    public static async Task<GroupState?> Take(Guid caseId, NpgsqlTransaction tx, CancellationToken ct)
    {
        var row = await tx.Connection!.QuerySingleOrDefaultAsync<(Guid CaseId, DateTime? ClosedAt)?>(new CommandDefinition(
            "SELECT case_id, closed_at FROM coordination.groups WHERE case_id = @caseId FOR UPDATE",
            new { caseId }, tx, cancellationToken: ct));
        if (row is not { } group)
        {
            return null;
        }
        var lead = await tx.Connection!.QuerySingleOrDefaultAsync<(string Coordinator, string Sector)?>(new CommandDefinition(
            "SELECT coordinator, sector FROM coordination.lead_coordinators WHERE case_id = @caseId AND until IS NULL",
            new { caseId }, tx, cancellationToken: ct));
        return new GroupState(caseId, group.ClosedAt is not null, lead?.Coordinator, lead?.Sector);
    }

    /// <summary>
    /// <see cref="Take"/> for a change: refused as not found when there is no group, and as closed when the case is
    /// closed (its coordination history can be read but not changed).
    /// </summary>
    public static async Task<Result<GroupState>> TakeOpen(Guid caseId, NpgsqlTransaction tx, CancellationToken ct) =>
        await Take(caseId, tx, ct) switch
        {
            null => NotFound(caseId),
            { Closed: true } => Closed(caseId),
            var group => group,
        };

    /// <summary>No group for the case: the same 404 as a case the caller may not see.</summary>
    public static Refusal NotFound(Guid caseId) => Refusal.CaseNotFound(caseId, "Coordination group");

    public static Refusal Closed(Guid caseId) =>
        Refusal.Conflict("The case is closed.", $"Case {caseId} is closed; its coordination history can be read but not changed.");

    /// <summary>A SQL condition: a currently valid consent of case <c>@caseId</c> covers sector <c>{sector}</c> at <c>@now</c>.</summary>
    public static string ConsentCovers(string sector) =>
        $"""
        EXISTS (SELECT 1 FROM access.case_consents c
                WHERE c.case_id = @caseId AND {sector} = ANY (c.sectors)
                  AND c.valid_from <= @now AND (c.valid_to IS NULL OR c.valid_to > @now)
                  AND (c.withdrawn_at IS NULL OR c.withdrawn_at > @now))
        """;
}
