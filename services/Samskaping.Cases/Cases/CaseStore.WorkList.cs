using System.Data;
using Dapper;
using Samskaping.Access;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Cases;

/// <summary>The work list (arbeidsliste): which cases a worker sees, and the search in them.</summary>
public sealed partial class CaseStore
{
    /// <summary>The work list: the cases the caller may see, narrowed by scope, status and a name search, newest first.</summary>
    public async Task<CaseListPage> List(CurrentUser user, WorkListQuery query, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var parameters = access.Parameters(user, new { mine = query.Scope == WorkListQuery.Mine, sector = query.Scope == WorkListQuery.Sector, take = query.Limit + 1 });
        parameters.Add("status", query.Status, DbType.String);
        parameters.Add("pattern", query.Search is null ? null : "%" + Search.EscapeLike(Search.Normalize(query.Search)) + "%", DbType.String);
        parameters.Add("afterAt", query.After?.At, DbType.DateTimeOffset);
        parameters.Add("afterId", query.After?.Id, DbType.Guid);
        var rows = (await connection.QueryAsync<ListRow>(new CommandDefinition(
            $"""
            SELECT sak.id, h.name AS HouseholdName, sak.status, sak.opened_by AS OpenedBy, sak.opened_by_sector AS OpenedBySector, sak.opened_at AS OpenedAt,
                   sak.household_id AS HouseholdId
            FROM cases.cases sak JOIN cases.households h ON h.id = sak.household_id
            WHERE {CaseAccess.VisiblePredicate("sak.id")}
              AND (NOT @mine OR sak.opened_by = @accessSubject
                   OR EXISTS (SELECT 1 FROM access.case_leads l WHERE l.case_id = sak.id AND l.coordinator = @accessSubject))
              AND (NOT @sector OR EXISTS (SELECT 1 FROM access.case_sectors s WHERE s.case_id = sak.id AND s.sector = @accessSector AND s.participating))
              AND (@status IS NULL OR sak.status = @status)
              AND (@pattern IS NULL OR h.name_search LIKE @pattern
                   OR EXISTS (SELECT 1 FROM cases.household_members m JOIN cases.persons p ON p.id = m.person_id
                              WHERE m.household_id = sak.household_id AND p.name_search LIKE @pattern))
              AND (@afterAt IS NULL OR (sak.opened_at, sak.id) < (@afterAt, @afterId))
            ORDER BY sak.opened_at DESC, sak.id DESC
            LIMIT @take
            """, parameters, cancellationToken: ct))).AsList();
        var items = rows.Take(query.Limit)
            .Select(r => new CaseSummaryDto(r.Id, r.HouseholdId, r.HouseholdName, r.Status, r.OpenedBy, r.OpenedBySector, r.OpenedAt.AsUtc()))
            .ToList();
        // Every case the list or search shows is a read of that family's data: one entry each, in one statement.
        await accessLog.WriteMany(user, items.Select(i => AccessSubject.Case(i.Id)), AccessActions.List,
            query.Search is null ? "work list" : "work list search", connection, ct);
        return new CaseListPage(items, rows.Count > query.Limit ? new Cursor(items[^1].OpenedAt, items[^1].Id).Encode() : null);
    }

    private sealed record ListRow(Guid Id, string HouseholdName, string Status, string OpenedBy, string OpenedBySector, DateTime OpenedAt, Guid HouseholdId);
}
