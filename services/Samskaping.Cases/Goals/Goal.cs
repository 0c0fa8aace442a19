using System.ComponentModel.DataAnnotations;
using Samskaping.Contracts;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Goals;

/// <summary>POST /api/cases/{id}/goals: a goal agreed with the family, in their words, and who proposed it.</summary>
public sealed record AgreeGoal(
    [property: MaxLength(Goal.MaxTextLength)] string? Text,
    [property: AllowedValues(Goal.Family, Sectors.Oppvekst, Sectors.HelseVelferd, Sectors.Kultur, Sectors.Nav, Sectors.Frivillighet)] string? ProposedBy);

/// <summary>POST /api/cases/{id}/goals/{goalId}/status: "achieved" or "abandoned".</summary>
public sealed record EndGoal([property: AllowedValues(Goal.Achieved, Goal.Abandoned)] string? Status);

/// <summary>mål: agreed → achieved | abandoned.</summary>
public static class Goal
{
    public const string Family = "family";
    public const string Agreed = "agreed";
    public const string Achieved = "achieved";
    public const string Abandoned = "abandoned";
    public const int MaxTextLength = 2000;

    public static (string Text, string ProposedBy) Validate(AgreeGoal request, ValidationErrors errors)
    {
        var text = errors.Text("text", request.Text, MaxTextLength);
        var proposedBy = request.ProposedBy?.Trim();
        if (proposedBy is null)
        {
            errors.Add("proposedBy", $"Required: \"{Family}\" or the sector code of the worker who proposed it.");
        }
        else if (proposedBy != Family && !Sectors.IsKnown(proposedBy))
        {
            errors.Add("proposedBy", $"Must be \"{Family}\" or one of: {string.Join(", ", Sectors.All)}.");
        }
        return (text, proposedBy ?? "");
    }

    public static string? ValidateEnd(EndGoal request, ValidationErrors errors)
    {
        var status = request.Status?.Trim();
        if (status is not (Achieved or Abandoned))
        {
            errors.Add("status", $"Must be \"{Achieved}\" or \"{Abandoned}\".");
            return null;
        }
        return status;
    }
}
