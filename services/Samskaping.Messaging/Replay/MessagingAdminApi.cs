using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Samskaping.ServiceDefaults;

namespace Samskaping.Messaging.Replay;

/// <summary>Why an operator replays (optional) or discards (required) a message. Ids and types are recorded with it
/// anyway: the reason says why, never who the message is about.</summary>
public sealed record OperatorNote([property: MaxLength(OperatorActions.MaxReasonLength)] string? Reason);

/// <summary>
/// The operator's tools for the messages a service could not deliver, the same in every service, for admins:
/// <c>/api/{service}/admin/messaging/…</c> lists, replays and discards the messages in its error queue and its
/// parked outbox rows, and lists what was done (docs/operations.md, "Error queue", "Parked outbox rows").
/// </summary>
public static class MessagingAdminApi
{
    private const string Tag = "Messaging administration";

    public static IEndpointRouteBuilder MapMessagingAdminApi(this IEndpointRouteBuilder app)
    {
        var service = app.ServiceProvider.GetRequiredService<ErrorQueueMessages>().Service;
        var admin = app.MapApiGroup($"/api/{service}/admin/messaging", Tag, Policies.Admin);

        admin.MapGet("/error-queue", ListErrorQueue)
            .WithName("ListErrorQueueMessages")
            .WithSummary($"Messages in the {service}_error queue (admins)")
            .WithDescription(
                "The messages at the head of the service's error queue — they failed every retry — with their id, type, and " +
                "when and why they failed (MassTransit's fault headers), not their bodies. They stay in the queue. " +
                "A limit outside 1 to 1000 (default 100) is 422.")
            .ProducesInvalid();
        admin.MapPost("/error-queue/{messageId:guid}/replay", ReplayFromErrorQueue)
            .WithName("ReplayErrorQueueMessage")
            .WithSummary("Move a message from the error queue back to the service's queue, audited (admins)")
            .WithDescription(
                "Once the cause is fixed: the message goes back unchanged (headers and MessageId kept), so a consumer that " +
                "had it already does nothing (the inbox). Copies with the same id are replayed one per call. The optional " +
                "reason is kept with the audit entry. 404 when the message is not in the error queue.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/error-queue/{messageId:guid}/discard", DiscardFromErrorQueue)
            .WithName("DiscardErrorQueueMessage")
            .WithSummary("Take a message out of the error queue for good, with a reason, audited (admins)")
            .WithDescription(
                "For a message that must never apply. A copy (headers and body) is kept in the service's database with the " +
                "audit entry. The reason is required (422 without it). 404 when the message is not in the error queue.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status404NotFound);

        admin.MapGet("/outbox/parked", ListParkedOutboxRows)
            .WithName("ListParkedOutboxRows")
            .WithSummary("Outbox rows the relay parked and will not publish (admins)")
            .WithDescription(
                "Rows the relay could not read — a message type this version does not know, a body it cannot read — with " +
                "why, oldest first, not their bodies. A limit outside 1 to 1000 (default 100) is 422.")
            .ProducesInvalid();
        admin.MapPost("/outbox/parked/{id:guid}/replay", ReplayParkedOutboxRow)
            .WithName("ReplayParkedOutboxRow")
            .WithSummary("Let the relay try a parked outbox row again, audited (admins)")
            .WithDescription(
                "After deploying a version that can read it: the relay publishes it with its own id as MessageId, so " +
                "consumers that had it already do nothing; a row it still cannot read is parked again. 404 when no parked row has the id.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/outbox/parked/{id:guid}/discard", DiscardParkedOutboxRow)
            .WithName("DiscardParkedOutboxRow")
            .WithSummary("Never publish a parked outbox row, with a reason, audited (admins)")
            .WithDescription(
                "The row leaves the outbox and is kept in the service's database with the audit entry. The reason is " +
                "required (422 without it). 404 when no parked row has the id.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status404NotFound);

        admin.MapGet("/actions", ListActions)
            .WithName("ListMessagingOperatorActions")
            .WithSummary("Replays and discards done in this service, newest first (admins)")
            .WithDescription("Who did what to which message, when and why. A limit outside 1 to 1000 (default 100) is 422.")
            .ProducesInvalid();
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<ErrorQueueMessage>>, ProblemHttpResult>> ListErrorQueue(
        [Description(LimitDescription), Range(1, 1000)] int? limit, ErrorQueueMessages queue, CancellationToken ct) =>
        Limit(limit) is { } refusal ? refusal.ToProblem() : TypedResults.Ok(await queue.List(limit ?? DefaultLimit, ct));

    public static async Task<Results<Ok<OperatorAction>, ProblemHttpResult>> ReplayFromErrorQueue(
        Guid messageId, [FromBody] OperatorNote? note, CurrentUser user, ErrorQueueMessages queue, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var reason = errors.OptionalText("reason", note?.Reason, OperatorActions.MaxReasonLength);
        return errors.IsValid ? Answer(await queue.Replay(messageId, user, reason, ct)) : Invalid(errors, "replayed");
    }

    public static async Task<Results<Ok<OperatorAction>, ProblemHttpResult>> DiscardFromErrorQueue(
        Guid messageId, [FromBody] OperatorNote? note, CurrentUser user, ErrorQueueMessages queue, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var reason = errors.Text("reason", note?.Reason, OperatorActions.MaxReasonLength);
        return errors.IsValid ? Answer(await queue.Discard(messageId, user, reason, ct)) : Invalid(errors, "discarded");
    }

    public static async Task<Results<Ok<IReadOnlyList<ParkedOutboxRow>>, ProblemHttpResult>> ListParkedOutboxRows(
        [Description(LimitDescription), Range(1, 1000)] int? limit, ParkedOutboxRows outbox, CancellationToken ct) =>
        Limit(limit) is { } refusal ? refusal.ToProblem() : TypedResults.Ok(await outbox.List(limit ?? DefaultLimit, ct));

    public static async Task<Results<Ok<OperatorAction>, ProblemHttpResult>> ReplayParkedOutboxRow(
        Guid id, [FromBody] OperatorNote? note, CurrentUser user, ParkedOutboxRows outbox, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var reason = errors.OptionalText("reason", note?.Reason, OperatorActions.MaxReasonLength);
        return errors.IsValid ? Answer(await outbox.Replay(id, user, reason, ct)) : Invalid(errors, "replayed");
    }

    public static async Task<Results<Ok<OperatorAction>, ProblemHttpResult>> DiscardParkedOutboxRow(
        Guid id, [FromBody] OperatorNote? note, CurrentUser user, ParkedOutboxRows outbox, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var reason = errors.Text("reason", note?.Reason, OperatorActions.MaxReasonLength);
        return errors.IsValid ? Answer(await outbox.Discard(id, user, reason, ct)) : Invalid(errors, "discarded");
    }

    public static async Task<Results<Ok<IReadOnlyList<OperatorAction>>, ProblemHttpResult>> ListActions(
        [Description(LimitDescription), Range(1, 1000)] int? limit, NpgsqlDataSource dataSource, CancellationToken ct) =>
        Limit(limit) is { } refusal ? refusal.ToProblem() : TypedResults.Ok(await OperatorActions.Latest(dataSource, limit ?? DefaultLimit, ct));

    private const string LimitDescription = "At most this many, 1 to 1000 (default 100).";
    private const int DefaultLimit = 100;

    private static Refusal? Limit(int? limit) =>
        limit is < 1 or > 1000 ? Refusal.Unprocessable("The list could not be made.", "limit", "Must be between 1 and 1000.") : null;

    private static Results<Ok<OperatorAction>, ProblemHttpResult> Answer(Result<OperatorAction> done) =>
        done.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(done.Value!);

    private static ProblemHttpResult Invalid(ValidationErrors errors, string what) =>
        Refusal.Invalid($"The message could not be {what} as asked.", errors).ToProblem();
}
