// TEMPORARY: the shapes the lead is writing on main ("Benefits: cases directory and NAV connection"), so the feed
// compiles before that merge. Deleted when main is merged.
namespace Samskaping.Benefits.People
{
    public sealed record Applicant(Guid PersonId, string IdentityNumber);

    public sealed class CasesUnavailableException : Exception
    {
        public CasesUnavailableException() { }
        public CasesUnavailableException(string message) : base(message) { }
        public CasesUnavailableException(string message, Exception inner) : base(message, inner) { }
    }

    public sealed class CasesDirectory
    {
        public Task<Applicant?> Applicant(Guid caseId, string purpose, CancellationToken ct) => throw new NotSupportedException($"{caseId} {purpose} {ct}");
    }
}

namespace Samskaping.Benefits.Nav
{
    public sealed class NavOptions
    {
        public string BaseUrl { get; set; } = "";
        public string FiksOrgId { get; set; } = "";
        public int DeliveryTimeoutSeconds { get; set; } = 10;
    }

    public static class NavHttpClients
    {
        public const string Digisos = "nav-digisos";
        public const string Lookup = "nav-lookup";
    }
}
