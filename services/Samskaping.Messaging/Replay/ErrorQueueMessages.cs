using System.Collections;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Samskaping.Messaging.Bus;
using Samskaping.ServiceDefaults;

namespace Samskaping.Messaging.Replay;

/// <summary>
/// A message in the service's error queue as an operator sees it: its id and type, when and why it failed (the
/// headers MassTransit wrote), not its body.
/// </summary>
public sealed record ErrorQueueMessage(Guid MessageId, string MessageType, DateTimeOffset? FaultedAt, string? ExceptionType, string? FaultMessage);

/// <summary>
/// The service's error queue (<c>{service}_error</c>) read and emptied with RabbitMQ.Client on a connection of its own,
/// with the service's own broker user — neither the management API nor the shovel plugin is needed. Messages are
/// taken with <c>basic.get</c> without acknowledgement: whatever an operation does not act on goes back to the
/// queue, in its place, when the operation's channel closes. A replay publishes the message unchanged — properties,
/// headers, MessageId and body — to the service's input queue through the default exchange, waits for the broker's
/// confirmation, and only then acknowledges (removes) it in the error queue: a failure in between leaves a copy in
/// both queues, and the inbox gives the two one effect. A discard writes a copy to the database before it removes
/// the message. Both are audited in the same transaction.
/// </summary>
public sealed class ErrorQueueMessages(string serviceName, IOptions<MessagingOptions> options, NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>How far into the queue a replay or discard looks for a message: enough for any incident we expect, and
    /// a bound on the messages one operation holds back from the queue.</summary>
    public const int ScanLimit = 5000;

    public string Service => serviceName;

    public string Queue => serviceName + "_error";

    private Uri Broker => new(options.Value.RabbitMq);

    /// <summary>The first <paramref name="limit"/> messages, head of the queue first; all stay in the queue.</summary>
    public async Task<IReadOnlyList<ErrorQueueMessage>> List(int limit, CancellationToken ct)
    {
        await using var session = await Session.Open(this, ct);
        var messages = new List<ErrorQueueMessage>();
        while (messages.Count < limit && await session.Next(ct) is { } got)
        {
            messages.Add(got.Description);
        }
        return messages;
    }

    /// <summary>Moves the first copy of the message back to the service's queue; a refusal (404) when it is not there.</summary>
    public async Task<Result<OperatorAction>> Replay(Guid messageId, CurrentUser user, string? reason, CancellationToken ct)
    {
        await using var session = await Session.Open(this, ct);
        if (await session.Find(messageId, ct) is not { } found)
        {
            return NotInQueue(messageId);
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var action = await OperatorActions.Record(tx, clock, user, OperatorActionNames.Replay, OperatorActionNames.ErrorQueue,
            messageId, found.Description.MessageType, reason, null, ct);
        // mandatory: a message that reaches no queue is refused (PublishException) instead of silently dropped.
        await session.Channel.BasicPublishAsync("", serviceName, mandatory: true, new BasicProperties(found.Properties), found.Body, ct);
        await tx.CommitAsync(ct);
        await session.Channel.BasicAckAsync(found.DeliveryTag, multiple: false, ct);
        return action;
    }

    /// <summary>Keeps a copy in the database, then removes the first copy of the message; a refusal (404) when it is not there.</summary>
    public async Task<Result<OperatorAction>> Discard(Guid messageId, CurrentUser user, string reason, CancellationToken ct)
    {
        await using var session = await Session.Open(this, ct);
        if (await session.Find(messageId, ct) is not { } found)
        {
            return NotInQueue(messageId);
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var copy = new DiscardedCopy(null, Headers(found.Properties.Headers).ToJsonString(), found.Body, found.Properties.ContentType,
            found.Description.FaultedAt, found.Description.FaultMessage);
        var action = await OperatorActions.Record(tx, clock, user, OperatorActionNames.Discard, OperatorActionNames.ErrorQueue,
            messageId, found.Description.MessageType, reason, copy, ct);
        await tx.CommitAsync(ct);
        await session.Channel.BasicAckAsync(found.DeliveryTag, multiple: false, ct);
        return action;
    }

    private Refusal NotInQueue(Guid messageId) => Refusal.NotFound("Message not found in the error queue.",
        $"There is no message {messageId} among the first {ScanLimit} messages of {Queue}; it may have been replayed or discarded already.");

    private sealed record Taken(ulong DeliveryTag, IReadOnlyBasicProperties Properties, byte[] Body, ErrorQueueMessage Description);

    /// <summary>A connection and a channel with publisher confirmations for one operation; closing it returns every
    /// message taken and not acknowledged to the queue.</summary>
    private sealed class Session(ErrorQueueMessages queue, IConnection connection, IChannel channel) : IAsyncDisposable
    {
        private bool _missing;

        public IChannel Channel => channel;

        public static async Task<Session> Open(ErrorQueueMessages queue, CancellationToken ct)
        {
            var factory = new ConnectionFactory { Uri = queue.Broker, ClientProvidedName = queue.Queue + "-operator" };
            var connection = await factory.CreateConnectionAsync(ct);
            try
            {
                var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
                    publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
                return new Session(queue, connection, channel);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }

        /// <summary>The next message not yet taken in this session; null at the end (or when nothing ever failed: no queue).</summary>
        public async Task<Taken?> Next(CancellationToken ct)
        {
            if (_missing)
            {
                return null;
            }
            try
            {
                var got = await channel.BasicGetAsync(queue.Queue, autoAck: false, ct);
                return got is null ? null : new Taken(got.DeliveryTag, got.BasicProperties, got.Body.ToArray(), Describe(got.BasicProperties, got.Body.Span));
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
            {
                _missing = true;
                return null;
            }
        }

        public async Task<Taken?> Find(Guid messageId, CancellationToken ct)
        {
            for (var i = 0; i < ScanLimit && await Next(ct) is { } got; i++)
            {
                if (got.Description.MessageId == messageId)
                {
                    return got;
                }
            }
            return null;
        }

        public async ValueTask DisposeAsync()
        {
            await channel.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    /// <summary>Id, type and fault from the transport's properties and MassTransit's envelope and fault headers.</summary>
    internal static ErrorQueueMessage Describe(IReadOnlyBasicProperties properties, ReadOnlySpan<byte> body)
    {
        Guid? envelopeId = null;
        string? urn = null;
        try
        {
            using var envelope = JsonDocument.Parse(body.ToArray());
            if (envelope.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (envelope.RootElement.TryGetProperty("messageId", out var id) && Guid.TryParse(id.GetString(), out var parsed))
                {
                    envelopeId = parsed;
                }
                if (envelope.RootElement.TryGetProperty("messageType", out var types) && types.ValueKind == JsonValueKind.Array && types.GetArrayLength() > 0)
                {
                    urn = types[0].GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Not a MassTransit envelope: the transport's properties are all there is.
        }
        var messageId = Guid.TryParse(properties.MessageId, out var fromProperties) ? fromProperties : envelopeId ?? Guid.Empty;
        var headers = properties.Headers;
        var faultedAt = DateTimeOffset.TryParse(Text(headers, "MT-Fault-Timestamp"), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime() : (DateTimeOffset?)null;
        return new ErrorQueueMessage(messageId, TypeName(urn ?? properties.Type), faultedAt,
            Text(headers, "MT-Fault-ExceptionType"), Text(headers, "MT-Fault-Message"));
    }

    /// <summary>"urn:message:Namespace:Type" as the outbox names types, "Namespace.Type".</summary>
    private static string TypeName(string? urn) => urn switch
    {
        null or "" => "unknown",
        _ when urn.StartsWith("urn:message:", StringComparison.Ordinal) => urn["urn:message:".Length..].Replace(':', '.'),
        _ => urn,
    };

    private static string? Text(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value) ? Header(value)?.ToString() : null;

    /// <summary>AMQP header values as JSON: the client hands strings over as bytes.</summary>
    internal static JsonObject Headers(IDictionary<string, object?>? headers)
    {
        var json = new JsonObject();
        foreach (var (name, value) in headers ?? new Dictionary<string, object?>())
        {
            json[name] = Header(value);
        }
        return json;
    }

    private static JsonNode? Header(object? value) => value switch
    {
        null => null,
        byte[] bytes => JsonValue.Create(Encoding.UTF8.GetString(bytes)),
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        long or int or short or byte or sbyte or uint or ushort or ulong => JsonValue.Create(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
        double or float or decimal => JsonValue.Create(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
        AmqpTimestamp stamp => JsonValue.Create(stamp.UnixTime),
        IDictionary<string, object?> table => Headers(table),
        IList list => new JsonArray([.. list.Cast<object?>().Select(Header)]),
        _ => JsonValue.Create(value.ToString()),
    };
}
