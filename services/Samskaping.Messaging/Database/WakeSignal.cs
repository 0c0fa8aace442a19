using System.Threading.Channels;

namespace Samskaping.Messaging.Database;

/// <summary>
/// What a background loop sleeps on between rounds: woken early by <see cref="Set"/> (a <see cref="CommitListener"/>
/// hearing a commit), otherwise when its time limit runs out. Neither the limit running out nor a wake-up that did not
/// come is an exception — an idle service would otherwise throw one per poll interval, and every exceptions-per-second
/// graph of it would show them. Wake-ups while nobody waits are kept as one.
/// </summary>
public sealed class WakeSignal(TimeProvider clock)
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    // One wait on the channel at a time, kept across calls until a wake-up completes it.
    private Task<bool>? _waiting;

    public void Set() => _wake.Writer.TryWrite(true);

    /// <summary>True when woken; false when <paramref name="atMost"/> passed first or <paramref name="ct"/> was cancelled.
    /// One caller at a time.</summary>
    public async Task<bool> WaitAsync(TimeSpan atMost, CancellationToken ct)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var timeUp = Task.Delay(atMost, clock, done.Token);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (_waiting is { IsCompleted: true })
                {
                    _waiting = null;
                }
                if (_wake.Reader.TryRead(out _))
                {
                    return true;
                }
                _waiting ??= _wake.Reader.WaitToReadAsync(ct).AsTask();
                if (await Task.WhenAny(_waiting, timeUp) != _waiting)
                {
                    return false;
                }
                // Only a wake-up still in the channel counts: the wait may be one an earlier call left, completed by a
                // wake-up that call's read already took. Then look again, within the same limit.
            }
            return false;
        }
        finally
        {
            await done.CancelAsync();
        }
    }
}
