using Samskaping.Access;

namespace Samskaping.Cases.AccessHistory;

/// <summary>One entry of a person's access history, and which service's log it comes from.</summary>
public sealed record PersonAccessEntry(
    string Service, Guid Id, DateTimeOffset At, string Subject, string Role, string Sector, Guid? CaseId, Guid? PersonId,
    string Action, string? Purpose, string? CorrelationId, string? OnBehalfOf = null, string? OnBehalfOfSector = null)
{
    public static PersonAccessEntry From(string service, AccessLogRecord r) =>
        new(service, r.Id, r.At, r.Subject, r.Role, r.Sector, r.CaseId, r.PersonId, r.Action, r.Purpose, r.CorrelationId, r.OnBehalfOf, r.OnBehalfOfSector);
}

/// <summary>A page of a person's access history across all services; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record PersonAccessHistoryPage(Guid PersonId, IReadOnlyList<PersonAccessEntry> Entries, string? NextCursor);

/// <summary>
/// Puts the services' access logs together, newest first. Each source is asked for one entry more than a page,
/// strictly before the cursor, so the first <c>limit</c> of the merged lists are exactly the next page of the
/// whole history, and there is more exactly when the merged lists are longer than a page.
/// </summary>
public static class PersonAccessHistory
{
    /// <summary>Newest first, by (at, id) descending: the order every source pages by. Ids compare as PostgreSQL
    /// compares uuids (byte by byte), which is the order of their hex text.</summary>
    public static readonly Comparer<PersonAccessEntry> NewestFirst = Comparer<PersonAccessEntry>.Create((x, y) =>
    {
        var byTime = y.At.UtcTicks.CompareTo(x.At.UtcTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(y.Id.ToString("N"), x.Id.ToString("N"));
    });

    public static (IReadOnlyList<PersonAccessEntry> Page, Cursor? Next) Merge(IEnumerable<IEnumerable<PersonAccessEntry>> sources, int limit)
    {
        var merged = sources.SelectMany(s => s).Order(NewestFirst).ToList();
        var page = merged.Take(limit).ToList();
        return (page, merged.Count > limit ? new Cursor(page[^1].At, page[^1].Id) : null);
    }
}
