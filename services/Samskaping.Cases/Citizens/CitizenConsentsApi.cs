using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.Cases.Cases;
using Samskaping.Cases.Consents;
using Samskaping.Contracts.Cases;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Citizens;

/// <summary>
/// POST /api/cases/citizen/cases/{caseId}/consents: the citizen's own consent, for themselves or for a child under 15
/// in their care in the household. Who gives it is the citizen's own member record there, never a body's value.
/// </summary>
public sealed record CitizenGiveConsent(
    Guid? PersonId,
    [property: MaxLength(ConsentRules.MaxCodes), AllowedValues(Contracts.Sectors.Oppvekst, Contracts.Sectors.HelseVelferd, Contracts.Sectors.Kultur, Contracts.Sectors.Nav, Contracts.Sectors.Frivillighet)]
    IReadOnlyList<string>? Sectors,
    [property: MaxLength(ConsentRules.MaxCodes), AllowedValues(ConsentPurposes.Coordination, ConsentPurposes.Grants, ConsentPurposes.OutcomeMeasurement, ConsentPurposes.BenefitCoordination)]
    IReadOnlyList<string>? Purposes,
    [property: MaxLength(ConsentRules.MaxCodes), AllowedValues(Contracts.Cases.DataCategories.Contact, Contracts.Cases.DataCategories.Needs, Contracts.Cases.DataCategories.Health, Contracts.Cases.DataCategories.School, Contracts.Cases.DataCategories.Economy, Contracts.Cases.DataCategories.Family)]
    IReadOnlyList<string>? DataCategories,
    DateTimeOffset? ValidTo);

/// <summary>A person the citizen may give a consent for in the case: themselves (<c>self</c>) or a child in their care.</summary>
public sealed record CitizenConsentSubjectDto(Guid PersonId, string Name, string Relation);

/// <summary>
/// GET /api/cases/citizen/cases/{caseId}/consents: every consent of the case as the overview names them,
/// <see cref="Withdrawable"/> the ids of those the citizen may withdraw, and whom they may consent for.
/// </summary>
public sealed record CitizenConsentsDto(
    string HouseholdName, IReadOnlyList<CitizenConsentDto> Consents, IReadOnlyList<Guid> Withdrawable, IReadOnlyList<CitizenConsentSubjectDto> MayConsentFor);

/// <summary>
/// "My consents" (docs/architecture.md §8): the citizen gives and withdraws consents through the same rules
/// (<see cref="ConsentRules"/>), store, access read model and events (<see cref="ConsentStore"/>) as a worker, recorded
/// as the citizen's own (<see cref="ConsentStore.Recorder"/>) and access-logged as theirs.
/// </summary>
public static class CitizenConsentsApi
{
    public const string NotYours = "Only for yourself, or for a child under 15 in your care who is a member of this household.";

    public static void MapCitizenConsentEndpoints(this IEndpointRouteBuilder app)
    {
        var citizen = app.MapApiGroup("/api/cases/citizen", "Citizens", Policies.Citizen);

        citizen.MapGet("/cases/{caseId:guid}/consents", MyConsents)
            .RequireCitizenRelation()
            .WithName("GetCitizenConsents")
            .WithSummary("The consents of one of the citizen's cases, which of them they may withdraw, and whom they may consent for")
            .WithDescription("Every consent, newest first, named by the members it is about and given by (as in the overview). " +
                "withdrawable: the consents about or given by a person the citizen reaches. mayConsentFor: the citizen's own member record " +
                "and the children under 15 they are a guardian of in the household; empty when the citizen is not a member of it. Access-logged.");

        citizen.MapPost("/cases/{caseId:guid}/consents", GiveConsent)
            .RequireCitizenRelation()
            .WithName("GiveCitizenConsent")
            .WithSummary("The citizen gives a consent for themselves or for a child under 15 in their care")
            .WithDescription("Given by the citizen's own member record in the household; personId is the citizen's own record or a child's " +
                "they reach. The rules, the access it gives and ConsentGiven are a worker's (POST /api/cases/{id}/consents); recordedBy is " +
                "\"citizen:\" and the citizen's pseudonymous subject. Valid from now, to validTo (default until withdrawn). The same consent " +
                "in force already is answered with 200 and that consent, so a form sent twice gives one. 422 naming the field otherwise.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        citizen.MapPost("/cases/{caseId:guid}/consents/{consentId:guid}/withdraw", WithdrawConsent)
            .RequireCitizenRelation()
            .WithName("WithdrawCitizenConsent")
            .WithSummary("The citizen withdraws a consent about or given by a person they reach, with a reason")
            .WithDescription("As a worker's withdrawal (POST /api/cases/{id}/consents/{consentId}/withdrawal): sectors no longer covered " +
                "lose access at once; publishes ConsentWithdrawn with withdrawnBy \"citizen:\" and the pseudonymous subject. 404 for a consent " +
                "of another case or about and by no one the citizen reaches; 409 when it is withdrawn already.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static async Task<Results<Ok<CitizenConsentsDto>, ProblemHttpResult>> MyConsents(
        Guid caseId, CitizenCase visible, CitizenToken citizen, DbSession db, ConsentStore consents, AccessLog accessLog, CancellationToken ct)
    {
        var connection = await db.Connection(ct);
        if (await CaseStore.Find(caseId, connection, ct) is not { } found)
        {
            return CitizenCaseAccess.CaseNotFound(caseId).ToProblem();
        }
        var reached = visible.Reached;
        var through = reached.Through.Select(t => t.PersonId).ToHashSet();
        // As in the overview: in a household the person reaches only through a child, that child is the only name they see.
        var names = (reached.IsOwn ? found.Members : found.Members.Where(m => through.Contains(m.PersonId))).ToDictionary(m => m.PersonId, m => m.Name);
        var history = await consents.History(caseId, connection, ct);
        var mayConsentFor = await MayConsentFor(caseId, reached, connection, ct);
        await accessLog.WriteMany(citizen.AsReader(),
            [AccessSubject.Case(caseId), .. history.Select(h => h.PersonId).Distinct().Where(names.ContainsKey).Select(p => new AccessSubject(caseId, p))],
            AccessActions.Read, CitizensApi.Purpose, connection, ct);
        return TypedResults.Ok(new CitizenConsentsDto(found.Case.HouseholdName,
            [.. history.Select(h => new CitizenConsentDto(h.Id, names.GetValueOrDefault(h.PersonId, ""), names.GetValueOrDefault(h.GivenByPersonId, ""),
                h.Sectors, h.Purposes, h.DataCategories, h.ValidFrom, h.ValidTo, h.State, h.WithdrawnAt))],
            [.. history.Where(h => h.WithdrawnAt is null && (through.Contains(h.PersonId) || through.Contains(h.GivenByPersonId))).Select(h => h.Id)],
            mayConsentFor));
    }

    public static async Task<Results<Created<ConsentDto>, Ok<ConsentDto>, ProblemHttpResult>> GiveConsent(
        Guid caseId, CitizenGiveConsent request, CitizenCase visible, CitizenToken citizen, ConsentStore store, DbSession db, TimeProvider clock,
        CancellationToken ct)
    {
        var reached = visible.Reached;
        // The giver is the citizen's own record in this household; in a household they reach only through a child,
        // a guardian who is a member gives it, as a worker would record it.
        if (reached.Through.FirstOrDefault(t => t.Relation == Relations.Self) is not { } own)
        {
            return Refusal.Unprocessable(Case.DoesNotFit, "personId",
                "You are not a member of this household: a guardian of the child who is a member gives the consent.").ToProblem();
        }
        var (scope, errors) = ConsentRules.Validate(
            new GiveConsent(request.PersonId, own.PersonId, request.Sectors, request.Purposes, request.DataCategories, null, request.ValidTo), clock.Now());
        if (scope is null)
        {
            return Refusal.Invalid("The consent could not be given.", errors).ToProblem();
        }
        if (!reached.Through.Any(t => t.PersonId == scope.PersonId))
        {
            return Refusal.Unprocessable(Case.DoesNotFit, "personId", NotYours).ToProblem();
        }
        var outcome = await store.GiveOnce(caseId, scope, citizen.AsReader(), await db.Connection(ct), ct);
        if (outcome.Refusal is { } refusal)
        {
            // The citizen names no giver: a rule about who gives is about whom they chose.
            return (refusal.Errors is { } fields && fields.Remove("givenByPersonId", out var why)
                ? refusal with { Errors = new Dictionary<string, string[]>(fields) { ["personId"] = why } }
                : refusal).ToProblem();
        }
        var (consent, recorded) = outcome.Value;
        return recorded ? TypedResults.Created($"/api/cases/citizen/cases/{caseId}/consents", consent) : TypedResults.Ok(consent);
    }

    public static async Task<Results<Ok<ConsentDto>, ProblemHttpResult>> WithdrawConsent(
        Guid caseId, Guid consentId, WithdrawConsent request, CitizenCase visible, CitizenToken citizen, ConsentStore store, DbSession db,
        CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var reason = errors.Text("reason", request.Reason, ConsentRules.MaxReasonLength);
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The consent could not be withdrawn.", errors).ToProblem();
        }
        var connection = await db.Connection(ct);
        var through = visible.Reached.Through.Select(t => t.PersonId).ToHashSet();
        var consent = (await store.History(caseId, connection, ct)).FirstOrDefault(c => c.Id == consentId);
        if (consent is null || !(through.Contains(consent.PersonId) || through.Contains(consent.GivenByPersonId)))
        {
            // The answer for a consent about and by others in the household is the answer for one that is not there.
            return Refusal.NotFound("Consent not found.", $"The case {caseId} has no such consent.").ToProblem();
        }
        var outcome = await store.Withdraw(caseId, consentId, reason, citizen.AsReader(), connection, ct);
        return outcome.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(outcome.Value!);
    }

    /// <summary>The citizen's own record in the household, and the children under 15 there they are a guardian of.</summary>
    private static async Task<IReadOnlyList<CitizenConsentSubjectDto>> MayConsentFor(
        Guid caseId, ReachedCase reached, Npgsql.NpgsqlConnection connection, CancellationToken ct)
    {
        var own = reached.Through.Where(t => t.Relation == Relations.Self).Select(t => t.PersonId).ToArray();
        if (own.Length == 0)
        {
            return [];
        }
        var wards = (await connection.QueryAsync<Guid>(new CommandDefinition(
            """
            SELECT g.child_id FROM cases.guardianships g JOIN cases.cases c ON c.household_id = g.household_id
            WHERE c.id = @caseId AND g.guardian_id = ANY(@own)
            """, new { caseId, own }, cancellationToken: ct))).ToHashSet();
        return [.. reached.Through.Where(t => t.Relation == Relations.Self || wards.Contains(t.PersonId))
            .Select(t => new CitizenConsentSubjectDto(t.PersonId, t.Name, t.Relation))];
    }
}
