using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Samskaping.Messaging.Database;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Messaging;

/// <summary>
/// The outbox relay and the benefit feed sleep on a <see cref="WakeSignal"/> between rounds: woken by a commit, or by
/// their poll interval running out — which at idle is every round, so it must not be an exception.
/// </summary>
public sealed class WakeSignalTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    // Exceptions are counted only when thrown on this test's own flow (xunit runs other classes at the same time).
    private static readonly AsyncLocal<bool> Counting = new();

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 21, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_wake_up_ends_the_wait_early()
    {
        var signal = new WakeSignal(_clock);
        var wait = signal.WaitAsync(Limit, CancellationToken.None);
        wait.IsCompleted.ShouldBeFalse();

        signal.Set();

        (await wait.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeTrue();
    }

    [Fact]
    public async Task The_time_limit_ends_the_wait_without_an_exception()
    {
        var signal = new WakeSignal(_clock);

        var thrown = await CountExceptions(async () =>
        {
            for (var round = 0; round < 3; round++)
            {
                var wait = signal.WaitAsync(Limit, CancellationToken.None);
                _clock.Advance(Limit - TimeSpan.FromMilliseconds(1));
                wait.IsCompleted.ShouldBeFalse();
                _clock.Advance(TimeSpan.FromMilliseconds(1));
                (await wait.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeFalse();
            }
        });

        thrown.ShouldBe(0);
    }

    [Fact]
    public async Task The_exception_counting_sees_a_cancelled_channel_wait()
    {
        // The way the relay waited before: the poll interval cancelled the channel wait, once per idle round.
        var channel = Channel.CreateBounded<bool>(1);
        using var interval = new CancellationTokenSource();

        var thrown = await CountExceptions(async () =>
        {
            interval.CancelAfter(TimeSpan.FromMilliseconds(10));
            try
            {
                await channel.Reader.WaitToReadAsync(interval.Token);
            }
            catch (OperationCanceledException)
            {
                // Poll interval reached.
            }
        });

        thrown.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_wake_up_after_a_wait_ran_out_is_seen_by_the_next_wait_and_only_once()
    {
        var signal = new WakeSignal(_clock);
        var first = signal.WaitAsync(Limit, CancellationToken.None);
        _clock.Advance(Limit);
        (await first).ShouldBeFalse();

        signal.Set();
        signal.Set();

        (await signal.WaitAsync(Limit, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeTrue();
        var after = signal.WaitAsync(Limit, CancellationToken.None);
        after.IsCompleted.ShouldBeFalse();
        _clock.Advance(Limit);
        (await after).ShouldBeFalse();
    }

    [Fact]
    public async Task Stopping_ends_the_wait()
    {
        var signal = new WakeSignal(_clock);
        using var stopping = new CancellationTokenSource();
        var wait = signal.WaitAsync(Limit, stopping.Token);

        await stopping.CancelAsync();

        (await wait.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeFalse();
    }

    private static async Task<int> CountExceptions(Func<Task> act)
    {
        var thrown = 0;
        void Count(object? sender, FirstChanceExceptionEventArgs e)
        {
            if (Counting.Value)
            {
                Interlocked.Increment(ref thrown);
            }
        }
        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            Counting.Value = true;
            await act();
        }
        finally
        {
            Counting.Value = false;
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }
        return thrown;
    }
}
