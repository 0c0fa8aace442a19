using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Benefits.Lookup;
using Samskaping.Benefits.People;
using Samskaping.ServiceDefaults;

namespace Samskaping.Benefits.Inbound;

public static partial class InboundApi
{
    private const string Purpose = "inbound benefit notification";
    private const string NotAccepted = "The notification could not be accepted.";

    public static void MapInboundEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup("/api/benefits/inbound", "Inbound notifications", InboundAuthentication.Policy)
            .MapPost("", Receive)
            .WithName("ReceiveBenefitNotification")
            .WithSummary("The benefit system tells us a person's benefit was granted, changed or stopped")
            .WithDescription("Only for the benefit system's machine token (its own issuer, audience and scope; staff tokens are refused). "
                + "Idempotent by the sender's eventId: the same notification again gets the same answer and changes nothing; the same eventId "
                + "with another body is 409. One BenefitStatusChanged (without the identity number) per case the person belongs to; a person "
                + "nobody knows is recorded and answered with outcome no-matching-person. A body that is not JSON of the notification's types "
                + "is 400; a value that is missing or not acceptable is 422 naming the field. 503 when the cases service cannot be asked: retry.")
            .Accepts<InboundNotification>("application/json")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    public static async Task<Results<Accepted<InboundReceipt>, ProblemHttpResult>> Receive(
        InboundNotification notification, HttpContext http, InboundStore store, CasesDirectory cases,
        TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        var now = clock.Now();
        var (valid, errors) = InboundRules.Validate(notification, now);
        if (valid is null)
        {
            return Refusal.Invalid(NotAccepted, errors).ToProblem();
        }
        var (issuer, client) = InboundAuthentication.Sender(http.User);
        var fingerprint = store.Fingerprint(valid);
        if (await store.Find(issuer, valid.EventId, ct) is { } earlier)
        {
            return Answer(store.Again(earlier, fingerprint));
        }

        IReadOnlyList<PersonMembership> memberships;
        try
        {
            memberships = await cases.Resolve(valid.PersonIdent, Purpose, ct);
        }
        catch (ArgumentException)
        {
            errors.Add("personIdent", "The cases service does not accept this identity number.");
            return Refusal.Invalid(NotAccepted, errors).ToProblem();
        }
        catch (CasesUnavailableException)
        {
            LogCasesUnavailable(loggers.CreateLogger(typeof(InboundApi)), valid.EventId);
            return Unavailable.Problem(http, "The notification could not be processed now.",
                "The cases service, which knows who the person is, could not be reached. Nothing was recorded; send the same notification again.",
                "cases-unavailable", retryAfterSeconds: 10);
        }
        // The machine is the one writing: the access log names the sender's client id.
        var sender = new CurrentUser(client, "benefit system", "machine", "benefit-system");
        return Answer(await store.Record(issuer, sender, valid, fingerprint, memberships, now, ct));
    }

    private static Results<Accepted<InboundReceipt>, ProblemHttpResult> Answer(Recorded recorded) =>
        recorded.Conflict
            ? Refusal.Conflict("This eventId was used for another notification.",
                $"eventId '{recorded.Receipt.EventId}' was accepted at {recorded.Receipt.ReceivedAt:O} with a different body. Send a new eventId for a new notification.").ToProblem()
            : TypedResults.Accepted((string?)null, recorded.Receipt);

    // The event id is the sender's own reference; the identity number is never logged.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbound notification {EventId} refused with 503: the cases service could not be reached")]
    private static partial void LogCasesUnavailable(ILogger logger, string eventId);
}
