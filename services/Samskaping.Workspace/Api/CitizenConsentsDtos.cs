namespace Samskaping.Workspace.Api;

// What "Samtykker" on Min side reads and sends: GET/POST /api/cases/citizen/cases/{id}/consents and …/withdraw.

/// <summary>A person the signed-in citizen may give a consent for: <c>self</c>, or <c>child</c> in their care.</summary>
public sealed record CitizenConsentSubject(Guid PersonId, string Name, string Relation);

/// <summary>The case's consents, the ids of those the citizen may withdraw, and whom they may consent for.</summary>
public sealed record CitizenConsents(
    string HouseholdName, IReadOnlyList<CitizenConsent> Consents, IReadOnlyList<Guid> Withdrawable, IReadOnlyList<CitizenConsentSubject> MayConsentFor);

/// <summary>The answer to a consent given or withdrawn (only its id is used).</summary>
public sealed record CitizenConsentRecorded(Guid Id);
