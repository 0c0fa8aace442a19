namespace Samskaping.Workspace.Api;

// The timeline page's reading of GET /api/cases/{id}/timeline: only the fields it shows.

public sealed record TimelineEvent(Guid Id, string Kind, string Source, DateTimeOffset OccurredAt);

/// <summary>One page of the timeline, newest first; <see cref="NextCursor"/> leads to the older events.</summary>
public sealed record TimelineEventPage(IReadOnlyList<TimelineEvent> Items, string? NextCursor);
