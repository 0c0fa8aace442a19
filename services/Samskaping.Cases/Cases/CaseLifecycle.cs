using System.ComponentModel.DataAnnotations;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Cases;

/// <summary>What a case has that the lifecycle's guards look at.</summary>
public sealed record CaseReadiness(int Needs, int ValidConsents);

/// <summary>The outcome of asking to move a case: allowed, invalid input (422), or refused in the current state (409).</summary>
public sealed record StatusChangeDecision(CaseStatus? To, string? Reason, ValidationErrors Errors, string? Conflict)
{
    public bool Allowed => Errors.IsValid && Conflict is null;
}

/// <summary>
/// The lifecycle (referred → intake → active → closing → closed, and reopen) with its guards. Mirrored by
/// <c>cases.status_transitions</c> and a trigger, so the database refuses an illegal move too.
/// </summary>
public static class CaseLifecycle
{
    public static IReadOnlyDictionary<CaseStatus, CaseStatus[]> Transitions { get; } = new Dictionary<CaseStatus, CaseStatus[]>
    {
        // A referral may be declined, and an intake may end without the family taking it further.
        [CaseStatus.Referred] = [CaseStatus.Intake, CaseStatus.Closed],
        [CaseStatus.Intake] = [CaseStatus.Active, CaseStatus.Closed],
        [CaseStatus.Active] = [CaseStatus.Closing],
        // Reopen: back to work from closing, or from closed to a new intake or straight back to active.
        [CaseStatus.Closing] = [CaseStatus.Closed, CaseStatus.Active],
        [CaseStatus.Closed] = [CaseStatus.Intake, CaseStatus.Active],
    };

    public static bool IsReopen(CaseStatus from, CaseStatus to) =>
        from is CaseStatus.Closing or CaseStatus.Closed && to is CaseStatus.Active or CaseStatus.Intake;

    /// <summary>The request's shape: a known target state and a reason.</summary>
    public static (CaseStatus? To, string Reason) Read(ChangeStatus request, ValidationErrors errors)
    {
        var to = Case.ParseStatus(request.To?.Trim());
        if (request.To is null)
        {
            errors.Add("to", "Required.");
        }
        else if (to is null)
        {
            errors.Add("to", $"Must be one of: {string.Join(", ", Enum.GetValues<CaseStatus>().Select(Case.StatusName))}.");
        }
        var reason = errors.Text("reason", request.Reason, Case.MaxReasonLength);
        return (to, reason);
    }

    public static StatusChangeDecision Decide(CaseStatus from, ChangeStatus request, CaseReadiness readiness)
    {
        var errors = new ValidationErrors();
        var (to, reason) = Read(request, errors);
        if (!errors.IsValid)
        {
            return new(null, null, errors, null);
        }

        var target = to!.Value;
        if (!Transitions[from].Contains(target))
        {
            return new(target, reason, errors,
                $"The case is {Case.StatusName(from)}; from there it can move to {string.Join(" or ", Transitions[from].Select(Case.StatusName))}, not {Case.StatusName(target)}.");
        }
        // Working on a case means sharing the family's data across sectors: not before they have said yes to it,
        // and not without knowing, in their words, what they need.
        if (target == CaseStatus.Active && readiness.ValidConsents == 0)
        {
            return new(target, reason, errors, $"The case is {Case.StatusName(from)}; it becomes active only with at least one valid consent.");
        }
        if (target == CaseStatus.Active && readiness.Needs == 0)
        {
            return new(target, reason, errors, $"The case is {Case.StatusName(from)}; it becomes active only with at least one need in the family's words.");
        }
        return new(target, reason, errors, null);
    }
}

/// <summary>POST /api/cases/{id}/status.</summary>
public sealed record ChangeStatus(
    [property: AllowedValues("referred", "intake", "active", "closing", "closed")] string? To,
    [property: MaxLength(Case.MaxReasonLength)] string? Reason);
