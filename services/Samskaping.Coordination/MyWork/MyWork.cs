namespace Samskaping.Coordination.MyWork;

/// <summary>A handover someone asked the caller to accept.</summary>
public sealed record WaitingHandover(Guid HandoverId, Guid CaseId, string From, string FromSector, string? Note, DateTimeOffset RequestedAt);

/// <summary>A measure of the caller's sector, with where its review stands.</summary>
public sealed record MeasureWork(Guid MeasureId, Guid CaseId, string Title, string ResponsibleSector, DateOnly NextReviewOn, bool Overdue);

/// <summary>Work for the lead coordinator (today: a negative effect reported on the case).</summary>
public sealed record CoordinatorTask(Guid Id, Guid CaseId, string Kind, string Title, string AssignedTo, DateTimeOffset CreatedAt, string? DoneBy, DateTimeOffset? DoneAt);

/// <summary>An appeal (klage) on a grant decision that waits for the municipality to decide it.</summary>
/// <param name="ReceivedOn">The day the appeal reached the municipality.</param>
/// <param name="Deadline">The last day an appeal on the decision was in time.</param>
/// <param name="Late">It arrived after the deadline (it may still be considered, fvl § 31).</param>
public sealed record AppealWaiting(Guid AppealId, Guid CaseId, Guid GrantId, DateOnly ReceivedOn, DateOnly Deadline, bool Late);

/// <summary>GET /api/coordination/my-work.</summary>
/// <param name="ReviewsDue">Reviews due within the configured days (not yet overdue).</param>
/// <param name="ReviewsOverdue">Reviews whose date passed without an evaluation.</param>
/// <param name="Measures">Every open measure the caller's sector is responsible for.</param>
/// <param name="Tasks">Open tasks on cases where the caller is lead coordinator.</param>
/// <param name="AppealsWaiting">Appeals on grant decisions, on cases the caller may see, that the municipality has not yet
/// reversed, forwarded to statsforvalteren or dismissed; the nearest deadline first.</param>
public sealed record MyWorkList(
    IReadOnlyList<WaitingHandover> HandoversWaiting,
    IReadOnlyList<MeasureWork> ReviewsDue,
    IReadOnlyList<MeasureWork> ReviewsOverdue,
    IReadOnlyList<MeasureWork> Measures,
    IReadOnlyList<CoordinatorTask> Tasks,
    IReadOnlyList<AppealWaiting> AppealsWaiting);
