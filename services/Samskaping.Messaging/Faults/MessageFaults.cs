using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Samskaping.Messaging.Faults;

/// <summary>What the fault suite does to a message.</summary>
public enum MessageFate
{
    Unharmed,
    /// <summary>Its first attempts fail, a retry succeeds.</summary>
    Transient,
    /// <summary>Every attempt fails: it ends in the error queue.</summary>
    Permanent,
}

/// <summary>Thrown by an injected consumer failure, so it is told apart from a real one in the error queue's headers.</summary>
public sealed class InjectedFaultException(string message) : Exception(message);

/// <summary>
/// Applies <see cref="FaultOptions"/> inside the inbox: a failure after the consumer's effect is written and before
/// the commit (so it must roll back), or a SIGKILL after the commit and before the acknowledgement.
/// </summary>
public sealed partial class MessageFaults(IOptions<FaultOptions> options, ILogger<MessageFaults> logger)
{
    private readonly FaultOptions _options = options.Value;
    private readonly ConcurrentDictionary<(Guid, string), int> _attempts = new();
    private int _commits;

    public bool Enabled => _options.Enabled;

    /// <summary>The fate of a message: a pure function of the seed and the message id.</summary>
    public static MessageFate Fate(int seed, Guid messageId, double transientRate, double permanentRate)
    {
        var draw = Draw(seed, messageId);
        return draw < permanentRate ? MessageFate.Permanent
            : draw < permanentRate + transientRate ? MessageFate.Transient
            : MessageFate.Unharmed;
    }

    /// <summary>A uniform number in [0, 1) from the seed and the message id, the same in every process.</summary>
    public static double Draw(int seed, Guid messageId)
    {
        Span<byte> input = stackalloc byte[20];
        BinaryPrimitives.WriteInt32LittleEndian(input, seed);
        messageId.TryWriteBytes(input[4..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        return (BinaryPrimitives.ReadUInt64LittleEndian(hash) >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>Called with the effect written and the transaction still open: throws when this attempt must fail.</summary>
    public void BeforeCommit(Guid messageId, string consumer)
    {
        if (_options.TransientFailureRate <= 0 && _options.PermanentFailureRate <= 0)
        {
            return;
        }
        var fate = Fate(_options.Seed, messageId, _options.TransientFailureRate, _options.PermanentFailureRate);
        if (fate == MessageFate.Unharmed)
        {
            return;
        }
        var attempt = _attempts.AddOrUpdate((messageId, consumer), 1, (_, n) => n + 1);
        if (fate == MessageFate.Permanent || attempt <= _options.TransientAttempts)
        {
            LogInjectedFailure(messageId, consumer, fate, attempt);
            throw new InjectedFaultException($"Injected {fate.ToString().ToLowerInvariant()} failure (attempt {attempt}) of message {messageId} in {consumer}.");
        }
    }

    /// <summary>Called right after the inbox transaction committed, before the consumer returns and the message is acknowledged.</summary>
    public void AfterCommit(Guid messageId, string consumer)
    {
        if (_options.KillAfterCommit <= 0 || Interlocked.Increment(ref _commits) != _options.KillAfterCommit)
        {
            return;
        }
        // Straight to stderr, unbuffered: the process is gone a moment later and a logger may not flush.
        Console.Error.WriteLine($"chaos: killing process {Environment.ProcessId} after committing message {messageId} in {consumer} " +
            $"(commit {_options.KillAfterCommit}), before its acknowledgement");
        Console.Error.Flush();
        // SIGKILL on Unix: no shutdown, no ack, no cleanup.
        Process.GetCurrentProcess().Kill();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fault suite: injected {Fate} failure of message {MessageId} in {Consumer}, attempt {Attempt}")]
    private partial void LogInjectedFailure(Guid messageId, string consumer, MessageFate fate, int attempt);
}
