namespace Samskaping.Workspace.Api;

// The analyst's, privacy officer's and admin's pages (/rapporter, /innsyn, /sektorer): only the fields they show.

/// <summary>GET /api/outcomes/reports/change: change from baseline to latest per group; a suppressed group has no numbers.</summary>
public sealed record ChangeReport(string Dimension, string Domain, int MinimumCellSize, IReadOnlyList<ChangeReportGroup> Groups, ChangeReportGroup Total);

public sealed record ChangeReportGroup(
    string Group, bool Suppressed, int? N, double? MeanChange, double? CiLow, double? CiHigh,
    double? ShareImproved, double? ShareUnchanged, double? ShareDeteriorated);

/// <summary>GET /api/outcomes/instruments: which domains a change report can be about.</summary>
public sealed record InstrumentDomains(string InstrumentId, int Version, string Name, IReadOnlyList<InstrumentItemDomain> Items);

public sealed record InstrumentItemDomain(string Domain, string Scale);

/// <summary>GET /api/grants/reports/funds: a fund's budget, and (unless suppressed) reserved, paid and remaining.</summary>
public sealed record FundReportRow(Guid FundId, string Name, string Owner, DateOnly PeriodStart, DateOnly PeriodEnd,
    bool Suppressed, decimal Budget, decimal? Reserved, decimal? Paid, decimal? Remaining);

/// <summary>GET /api/grants/reports/spending: approved grants by fund, sector, category and month.</summary>
public sealed record SpendingReportRow(Guid FundId, string FundName, string Sector, string Category, string Month,
    bool Suppressed, int? Households, int? Grants, decimal? Approved, decimal? Paid);

/// <summary>POST /api/cases/persons/access-log: a page of a person's access history across every service.</summary>
public sealed record PersonAccessHistory(Guid PersonId, IReadOnlyList<PersonAccessEntry> Entries, string? NextCursor);

public sealed record PersonAccessEntry(string Service, Guid Id, DateTimeOffset At, string Subject, string Role, string Sector,
    Guid? CaseId, string Action, string? Purpose, string? OnBehalfOf, string? OnBehalfOfSector);

/// <summary>GET/POST /api/coordination/sectors: the sector registry.</summary>
public sealed record RegisteredSector(string Code, string Name, string AddedBy, DateTimeOffset AddedAt);
