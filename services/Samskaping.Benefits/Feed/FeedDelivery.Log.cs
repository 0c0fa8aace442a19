namespace Samskaping.Benefits.Feed;

// What FeedDelivery logs: case ids and versions, never a person's data.
public sealed partial class FeedDelivery
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Status document version {Version} of case {CaseId} delivered ({Events} events)")]
    private static partial void LogDelivered(ILogger logger, Guid caseId, int version, int events);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering version {Version} of case {CaseId}'s status document failed (attempt {Attempts}); next attempt at {NextAttemptAt}: {Error}")]
    private static partial void LogFailed(ILogger logger, Guid caseId, int version, int attempts, DateTimeOffset nextAttemptAt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The benefit system refused version {Version} of case {CaseId}'s status document; not retried until it changes: {Detail}")]
    private static partial void LogRefused(ILogger logger, Guid caseId, int version, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Case {CaseId} has no applicant with an identity number yet; its Digisos case is created later (next look at {NextAttemptAt})")]
    private static partial void LogWaitingForApplicant(ILogger logger, Guid caseId, DateTimeOffset nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A status feed delivery round failed ({ExceptionType}: {Reason})")]
    private static partial void LogRoundFailed(ILogger logger, string exceptionType, string reason);
}
