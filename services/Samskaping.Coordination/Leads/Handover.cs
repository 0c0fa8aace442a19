using System.ComponentModel.DataAnnotations;
using Samskaping.Coordination.Sectors;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.Leads;

/// <summary>Who was lead coordinator (stafettholder) of a case, and when. <c>Until</c> is null for the current one.</summary>
public sealed record LeadPeriod(Guid Id, string Coordinator, string Sector, DateTimeOffset Since, DateTimeOffset? Until);

/// <summary>A request to take over as lead coordinator, and what became of it.</summary>
public sealed record Handover(
    Guid Id,
    Guid CaseId,
    string From,
    string FromSector,
    string To,
    string ToSector,
    string? Note,
    DateTimeOffset RequestedAt,
    string Status,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Reason);

/// <summary>POST .../handovers: the subject id of the person who should take over, their sector and a note.</summary>
public sealed record RequestHandover(
    [property: MaxLength(HandoverRules.MaxSubjectLength)] string? To,
    [property: MaxLength(SectorCode.MaxLength), RegularExpression(SectorCode.PatternText)] string? ToSector,
    [property: MaxLength(HandoverRules.MaxNoteLength)] string? Note);

/// <summary>POST .../handovers/{id}/decline: why not.</summary>
public sealed record DeclineHandover([property: MaxLength(HandoverRules.MaxNoteLength)] string? Reason);

public static class HandoverRules
{
    public const int MaxSubjectLength = 200;
    public const int MaxNoteLength = 2000;

    public static (RequestHandover? Request, ValidationErrors Errors) Validate(RequestHandover request)
    {
        var errors = new ValidationErrors();
        var to = errors.Text("to", request.To, MaxSubjectLength);
        var toSector = errors.Text("toSector", request.ToSector, SectorCode.MaxLength);
        if (toSector.Length > 0 && !SectorCode.IsValid(toSector))
        {
            errors.Add("toSector", "A sector code in lowercase kebab case, like 'helse-velferd'.");
        }
        var note = errors.OptionalText("note", request.Note, MaxNoteLength);
        return errors.IsValid ? (new RequestHandover(to, toSector, note), errors) : (null, errors);
    }

    public static (string? Reason, ValidationErrors Errors) Validate(DeclineHandover request)
    {
        var errors = new ValidationErrors();
        var reason = errors.Text("reason", request.Reason, MaxNoteLength);
        return errors.IsValid ? (reason, errors) : (null, errors);
    }
}
