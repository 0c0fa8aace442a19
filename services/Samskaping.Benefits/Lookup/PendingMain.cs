// TEMPORARY: the signatures of what the lead adds on main ("Benefits: cases directory and NAV connection"), only so
// this branch compiles until that merge. Deleted at the merge.
namespace Samskaping.Benefits.People
{
    public sealed record HouseholdMember(Guid PersonId, string Role, DateOnly BirthDate, string? IdentityNumber);

    public sealed record PersonMembership(Guid PersonId, Guid HouseholdId, IReadOnlyList<Guid> CaseIds);

    public sealed class CasesUnavailableException : Exception
    {
        public CasesUnavailableException() { }

        public CasesUnavailableException(string message) : base(message) { }

        public CasesUnavailableException(string message, Exception inner) : base(message, inner) { }
    }

    public sealed class CasesDirectory
    {
        public Task<IReadOnlyList<HouseholdMember>?> Members(Guid householdId, string purpose, CancellationToken ct) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<PersonMembership>> Resolve(string identityNumber, string purpose, CancellationToken ct) =>
            throw new NotSupportedException();
    }
}

namespace Samskaping.Benefits.Nav
{
    public sealed class NavOptions
    {
        public int LookupTimeoutSeconds { get; set; } = 3;

        public int LookupCacheSeconds { get; set; } = 60;
    }

    public static class NavHttpClients
    {
        public const string Digisos = "nav-digisos";
        public const string Lookup = "nav-lookup";
    }
}
