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
        var parameters = access.Parameters(user, new { sector = query.Scope == WorkListQuery.Sector, take = query.Limit + 1 });
        parameters.Add("status", query.Status, DbType.String);
        parameters.Add("pattern", query.Search is null ? null : "%" + Search.EscapeLike(Search.Normalize(query.Search)) + "%", DbType.String);
        parameters.Add("afterAt", query.After?.At, DbType.DateTimeOffset);
        parameters.Add("afterId", query.After?.Id, DbType.Guid);
        var rows = (await connection.QueryAsync<ListRow>(new CommandDefinition(ListSql(query), parameters, cancellationToken: ct))).AsList();
        var items = rows.Take(query.Limit)
            .Select(r => new CaseSummaryDto(r.Id, r.HouseholdId, r.HouseholdName, r.Status, r.OpenedBy, r.OpenedBySector, r.OpenedAt.AsUtc()))
            .ToList();
        // Every case the list or search shows is a read of that family's data: one entry each, in one statement.
        await accessLog.WriteMany(user, items.Select(i => AccessSubject.Case(i.Id)), AccessActions.List,
            query.Search is null ? "work list" : "work list search", connection, ct);
        return new CaseListPage(items, rows.Count > query.Limit ? new Cursor(items[^1].OpenedAt, items[^1].Id).Encode() : null);
    }

    /// <summary>The work list's statement for <paramref name="query"/>: its parameters are the access rule's and the List's own.</summary>
    internal static string ListSql(WorkListQuery query) => $"""
        {Narrowing(query)}
        SELECT sak.id, h.name AS HouseholdName, sak.status, sak.opened_by AS OpenedBy, sak.opened_by_sector AS OpenedBySector, sak.opened_at AS OpenedAt,
               sak.household_id AS HouseholdId
        FROM cases.cases sak JOIN cases.households h ON h.id = sak.household_id
        WHERE {CaseAccess.VisiblePredicate("sak.id")}
          AND {(query.Scope == WorkListQuery.Mine ? "sak.id IN (SELECT id FROM mine)" : "true")}
          AND (NOT @sector OR EXISTS (SELECT 1 FROM access.case_sectors s WHERE s.case_id = sak.id AND s.sector = @accessSector AND s.participating))
          AND (@status IS NULL OR sak.status = @status)
          AND {SearchPredicate(query)}
          AND (@afterAt IS NULL OR (sak.opened_at, sak.id) < (@afterAt, @afterId))
        ORDER BY sak.opened_at DESC, sak.id DESC
        LIMIT @take
        """;

    /// <summary>
    /// The few cases (mine) and households (a name search) the list is narrowed to, found through their own indexes
    /// and materialised first. Without them the list walks every visible case newest first until it has a page, which
    /// for a worker with fewer cases than a page, or a name only one family has, is every case the municipality holds.
    /// The list names them only when it is narrowed by them, in the statement's text rather than behind a parameter
    /// (<c>NOT @mine OR …</c>): an OR with a parameter keeps the planner from starting at them, and a prepared statement's
    /// generic plan walks every case newest first, checking each against them.
    /// </summary>
    private static string Narrowing(WorkListQuery query) => $"""
        WITH mine AS MATERIALIZED (
            SELECT c.id FROM cases.cases c WHERE c.opened_by = @accessSubject
            UNION SELECT l.case_id FROM access.case_leads l WHERE l.coordinator = @accessSubject),
        named AS MATERIALIZED (
            SELECT h.id FROM cases.households h WHERE {(IndexedSearch(query) ? "h.name_search LIKE @pattern" : "false")}
            UNION SELECT m.household_id FROM cases.household_members m JOIN cases.persons p ON p.id = m.person_id
                  WHERE {(IndexedSearch(query) ? "p.name_search LIKE @pattern" : "false")})
        """;

    /// <summary>
    /// A search of three characters or more goes through the names' trigram indexes (<c>named</c>); a shorter one
    /// matches too much for an index to help, and newest first finds a page soonest.
    /// </summary>
    private static string SearchPredicate(WorkListQuery query) =>
        query.Search is null ? "true"
        : IndexedSearch(query) ? "sak.household_id IN (SELECT id FROM named)"
        : """
          (h.name_search LIKE @pattern
           OR EXISTS (SELECT 1 FROM cases.household_members m JOIN cases.persons p ON p.id = m.person_id
                      WHERE m.household_id = sak.household_id AND p.name_search LIKE @pattern))
          """;

    private static bool IndexedSearch(WorkListQuery query) => query.Search is { } search && Search.Normalize(search).Length >= 3;

    private sealed record ListRow(Guid Id, string HouseholdName, string Status, string OpenedBy, string OpenedBySector, DateTime OpenedAt, Guid HouseholdId);
}
