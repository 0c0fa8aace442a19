namespace Samskaping.Coordination.MyWork;

/// <summary>A handover someone asked the caller to accept.</summary>
public sealed record WaitingHandover(Guid HandoverId, Guid CaseId, string From, string FromSector, string? Note, DateTimeOffset RequestedAt);

/// <summary>A measure of the caller's sector, with where its review stands.</summary>
public sealed record MeasureWork(Guid MeasureId, Guid CaseId, string Title, string ResponsibleSector, DateOnly NextReviewOn, bool Overdue);

/// <summary>Work for the lead coordinator (today: a negative effect reported on the case).</summary>
public sealed record CoordinatorTask(Guid Id, Guid CaseId, string Kind, string Title, string AssignedTo, DateTimeOffset CreatedAt, string? DoneBy, DateTimeOffset? DoneAt);

/// <summary>GET /api/coordination/my-work.</summary>
/// <param name="ReviewsDue">Reviews due within the configured days (not yet overdue).</param>
/// <param name="ReviewsOverdue">Reviews whose date passed without an evaluation.</param>
/// <param name="Measures">Every open measure the caller's sector is responsible for.</param>
/// <param name="Tasks">Open tasks on cases where the caller is lead coordinator.</param>
public sealed record MyWorkList(
    IReadOnlyList<WaitingHandover> HandoversWaiting,
    IReadOnlyList<MeasureWork> ReviewsDue,
    IReadOnlyList<MeasureWork> ReviewsOverdue,
    IReadOnlyList<MeasureWork> Measures,
    IReadOnlyList<CoordinatorTask> Tasks);
