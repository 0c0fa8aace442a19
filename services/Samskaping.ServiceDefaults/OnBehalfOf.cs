using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Samskaping.Contracts;

namespace Samskaping.ServiceDefaults;

/// <summary>
/// The worker and case a service reads for when it calls another service with its own token (benefits' look-up
/// asking cases for a household's members). The called service trusts the calling service (its token says it is
/// one) and writes the worker and case into its access log beside the service, so a person's history says who the
/// read was for, not only which service made it.
/// </summary>
public sealed record OnBehalfOf(string Subject, string Sector, Guid CaseId)
{
    public const string SubjectHeader = "X-On-Behalf-Of";
    public const string SectorHeader = "X-On-Behalf-Of-Sector";
    public const string CaseHeader = "X-On-Behalf-Of-Case";

    private const int MaxLength = 200;

    public static OnBehalfOf For(CurrentUser user, Guid caseId) => new(user.Subject, user.Sector, caseId);

    public void AddTo(HttpRequestHeaders headers)
    {
        headers.Add(SubjectHeader, Subject);
        headers.Add(SectorHeader, Sector);
        headers.Add(CaseHeader, CaseId.ToString());
    }

    /// <summary>
    /// Null and no refusal when the request names nobody (a service reading for itself); a refusal naming the header
    /// when it names someone only in part or not readably.
    /// </summary>
    public static Refusal? Read(IHeaderDictionary headers, out OnBehalfOf? onBehalfOf)
    {
        onBehalfOf = null;
        var subject = headers[SubjectHeader].ToString().Trim();
        var sector = headers[SectorHeader].ToString().Trim();
        var caseText = headers[CaseHeader].ToString().Trim();
        if (subject.Length == 0 && sector.Length == 0 && caseText.Length == 0)
        {
            return null;
        }
        const string title = "The worker the read is for is not clear.";
        if (subject.Length is 0 or > MaxLength)
        {
            return Refusal.Unprocessable(title, SubjectHeader, $"Required with {SectorHeader} and {CaseHeader}: the worker's subject (1–{MaxLength} characters).");
        }
        if (!Sectors.IsKnown(sector))
        {
            return Refusal.Unprocessable(title, SectorHeader, $"Required with {SubjectHeader}: one of {string.Join(", ", Sectors.All)}.");
        }
        if (!Guid.TryParse(caseText, out var caseId) || caseId == Guid.Empty)
        {
            return Refusal.Unprocessable(title, CaseHeader, $"Required with {SubjectHeader}: the id of the case the read is for.");
        }
        onBehalfOf = new OnBehalfOf(subject, sector, caseId);
        return null;
    }
}
