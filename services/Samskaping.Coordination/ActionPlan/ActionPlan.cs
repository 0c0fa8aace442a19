using System.ComponentModel.DataAnnotations;
using Samskaping.Coordination.Sectors;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.ActionPlan;

/// <summary>A goal agreed with the family, in the family's own words (from cases' GoalAgreed).</summary>
public sealed record Goal(Guid Id, string Text, string ProposedBy, string AgreedBy, DateTimeOffset AgreedAt);

/// <summary>"Did it help?" — yes, no or partly, with the family's own words.</summary>
public sealed record Evaluation(Guid Id, Guid MeasureId, string Helped, string? FamilyWords, string? Note, string EvaluatedBy, string EvaluatedSector, DateTimeOffset EvaluatedAt);

/// <summary>A measure (tiltak) of the action plan. <c>Overdue</c>: its review date passed without an evaluation.</summary>
public sealed record Measure(
    Guid Id,
    Guid CaseId,
    Guid? GoalId,
    string Title,
    string ResponsibleSector,
    DateOnly StartsOn,
    DateOnly? EndsOn,
    DateOnly NextReviewOn,
    string AgreedBy,
    DateTimeOffset AgreedAt,
    string? CompletedBy,
    DateTimeOffset? CompletedAt,
    bool Overdue,
    IReadOnlyList<Evaluation> Evaluations);

/// <summary>The case's BTI level (0-3: from universal to specialised, multi-sector help) as set at one time.</summary>
public sealed record BtiLevel(int Level, string Reason, string SetBy, string SetSector, DateTimeOffset SetAt);

/// <summary>The action plan of a case: goals, measures with their evaluations, and the BTI level with its history.</summary>
public sealed record CaseActionPlan(Guid CaseId, IReadOnlyList<Goal> Goals, IReadOnlyList<Measure> Measures, BtiLevel? BtiLevel, IReadOnlyList<BtiLevel> BtiHistory);

/// <summary>POST .../measures.</summary>
public sealed record AgreeMeasure(
    [property: MaxLength(ActionPlanRules.MaxTitleLength)] string? Title,
    Guid? GoalId,
    [property: MaxLength(SectorCode.MaxLength), RegularExpression(SectorCode.PatternText)] string? ResponsibleSector,
    DateOnly? StartsOn,
    DateOnly? EndsOn,
    DateOnly? NextReviewOn);

/// <summary>POST .../measures/{id}/evaluations. A review always sets the next one.</summary>
public sealed record EvaluateMeasure(
    [property: AllowedValues("yes", "no", "partly")] string? Helped,
    [property: MaxLength(ActionPlanRules.MaxTextLength)] string? FamilyWords,
    [property: MaxLength(ActionPlanRules.MaxTextLength)] string? Note,
    DateOnly? NextReviewOn);

/// <summary>PUT .../bti-level.</summary>
public sealed record SetBtiLevel([property: Range(0, 3)] int? Level, [property: MaxLength(ActionPlanRules.MaxReasonLength)] string? Reason);

public static class ActionPlanRules
{
    public const int MaxTitleLength = 300;
    public const int MaxTextLength = 4000;
    public const int MaxReasonLength = 2000;

    public static IReadOnlyList<string> HelpedAnswers { get; } = ["yes", "no", "partly"];

    /// <summary>The calendar day review dates are compared with (UTC).</summary>
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public static (AgreeMeasure? Measure, ValidationErrors Errors) Validate(AgreeMeasure request, DateOnly today)
    {
        var errors = new ValidationErrors();
        var title = errors.Text("title", request.Title, MaxTitleLength);
        var sector = errors.Text("responsibleSector", request.ResponsibleSector, SectorCode.MaxLength);
        if (sector.Length > 0 && !SectorCode.IsValid(sector))
        {
            errors.Add("responsibleSector", "A sector code in lowercase kebab case, like 'helse-velferd'.");
        }
        if (request.GoalId == Guid.Empty)
        {
            errors.Add("goalId", "The id of one of the case's goals, or left out.");
        }
        if (request.StartsOn is null)
        {
            errors.Add("startsOn", "Required: the day the measure starts (yyyy-mm-dd).");
        }
        if (request.EndsOn is { } ends && request.StartsOn is { } starts && ends < starts)
        {
            errors.Add("endsOn", "Must not be before startsOn.");
        }
        if (request.NextReviewOn is not { } review)
        {
            errors.Add("nextReviewOn", "Required: when the measure is reviewed next (yyyy-mm-dd).");
        }
        else if (review < today)
        {
            errors.Add("nextReviewOn", $"Must not be in the past (today is {today:yyyy-MM-dd}).");
        }
        return errors.IsValid ? (request with { Title = title, ResponsibleSector = sector }, errors) : (null, errors);
    }

    public static (EvaluateMeasure? Evaluation, ValidationErrors Errors) Validate(EvaluateMeasure request, DateOnly today)
    {
        var errors = new ValidationErrors();
        if (request.Helped is null || !HelpedAnswers.Contains(request.Helped))
        {
            errors.Add("helped", "Did it help? One of: yes, no, partly.");
        }
        var familyWords = errors.OptionalText("familyWords", request.FamilyWords, MaxTextLength);
        var note = errors.OptionalText("note", request.Note, MaxTextLength);
        if (request.NextReviewOn is not { } review)
        {
            errors.Add("nextReviewOn", "Required: when the measure is reviewed next (yyyy-mm-dd); complete the measure to end reviews.");
        }
        else if (review <= today)
        {
            errors.Add("nextReviewOn", $"Must be after today ({today:yyyy-MM-dd}).");
        }
        return errors.IsValid ? (request with { FamilyWords = familyWords, Note = note }, errors) : (null, errors);
    }

    public static (SetBtiLevel? Level, ValidationErrors Errors) Validate(SetBtiLevel request)
    {
        var errors = new ValidationErrors();
        if (request.Level is not (>= 0 and <= 3))
        {
            errors.Add("level", "Required: a BTI level from 0 to 3.");
        }
        var reason = errors.Text("reason", request.Reason, MaxReasonLength);
        return errors.IsValid ? (request with { Reason = reason }, errors) : (null, errors);
    }

    /// <summary>MeasureCompleted's "did it help?" from the last evaluation: yes → true, no → false, partly or none → null.</summary>
    public static bool? Helped(string? lastAnswer) => lastAnswer switch
    {
        "yes" => true,
        "no" => false,
        _ => null,
    };
}
