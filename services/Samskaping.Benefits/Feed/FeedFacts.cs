using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Grants;

namespace Samskaping.Benefits.Feed;

/// <summary>Everything received so far about one case that its status document is built from.</summary>
public sealed record FeedFacts(
    Guid CaseId,
    DateTimeOffset? OpenedAt,
    IReadOnlyList<CaseStatusChanged> StatusChanges,
    IReadOnlyList<CaseClosed> Closings,
    IReadOnlyList<GrantRequested> Requests,
    IReadOnlyList<GrantApproved> Approvals,
    IReadOnlyList<GrantDeclined> Declines,
    IReadOnlyList<DisbursementPlanned> Planned,
    IReadOnlyList<DisbursementPaid> Paid,
    IReadOnlyList<DisbursementStopped> Stopped,
    IReadOnlyList<DisbursementCancelled> Cancelled,
    IReadOnlyList<DecisionLetterIssued> Letters,
    IReadOnlyList<AppealReceived> Appeals)
{
    public static FeedFacts Empty(Guid caseId) => new(caseId, null, [], [], [], [], [], [], [], [], [], [], []);

    /// <summary>Grants from funds reported to the benefit system: only these (and their payments) are in the feed.</summary>
    public IReadOnlyList<GrantRequested> ReportableRequests =>
        Requests.Where(r => r.ReportToBenefitSystem).OrderBy(r => r.RequestedAt).ThenBy(r => r.GrantId).ToList();
}

/// <summary>The kinds of fact stored in <c>benefits.feed_facts</c>.</summary>
public static class FactKinds
{
    public const string CaseOpened = "case-opened";
    public const string CaseStatusChanged = "case-status-changed";
    public const string CaseClosed = "case-closed";
    public const string GrantRequested = "grant-requested";
    public const string GrantApproved = "grant-approved";
    public const string GrantDeclined = "grant-declined";
    public const string DisbursementPlanned = "disbursement-planned";
    public const string DisbursementPaid = "disbursement-paid";
    public const string DisbursementStopped = "disbursement-stopped";
    public const string DisbursementCancelled = "disbursement-cancelled";
    public const string DecisionLetterIssued = "decision-letter-issued";
    public const string AppealReceived = "appeal-received";
}
