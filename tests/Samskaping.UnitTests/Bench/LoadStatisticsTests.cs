using Samskaping.Bench;
using Samskaping.Bench.Load;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Bench;

public sealed class LoadStatisticsTests
{
    [Fact]
    public void Nearest_rank_percentiles_of_one_to_a_hundred_are_the_ranks_themselves()
    {
        var latencies = new Latencies();
        foreach (var ms in Enumerable.Range(1, 100).Reverse())
        {
            latencies.Add(ms);
        }

        latencies.Percentile(0.5).ShouldBe(50);
        latencies.Percentile(0.99).ShouldBe(99);
        latencies.Percentile(1.0).ShouldBe(100);
        latencies.Percentile(0.0).ShouldBe(1);
    }

    [Fact]
    public void A_single_slow_request_in_a_hundred_is_the_p100_but_not_the_p99()
    {
        var latencies = new Latencies();
        for (var i = 0; i < 99; i++)
        {
            latencies.Add(2);
        }
        latencies.Add(500);

        latencies.Percentile(0.99).ShouldBe(2);
        latencies.Percentile(1.0).ShouldBe(500);
    }

    [Fact]
    public void Windows_pooled_together_give_the_percentiles_of_all_their_samples()
    {
        var first = new Latencies();
        var second = new Latencies();
        for (var i = 1; i <= 50; i++)
        {
            first.Add(i);
            second.Add(50 + i);
        }
        first.Percentile(0.5).ShouldBe(25); // sorted before the other window's samples arrive

        var pooled = new Latencies();
        pooled.AddAll(second);
        pooled.AddAll(first);

        pooled.Count.ShouldBe(100);
        pooled.Percentile(0.5).ShouldBe(50);
        pooled.Percentile(0.99).ShouldBe(99);
        second.Count.ShouldBe(50);
    }

    [Fact]
    public void Percentiles_without_samples_are_not_a_number_and_fractions_outside_zero_to_one_are_refused()
    {
        var latencies = new Latencies();

        double.IsNaN(latencies.Percentile(0.5)).ShouldBeTrue();
        Should.Throw<ArgumentOutOfRangeException>(() => latencies.Percentile(1.5));
    }

    [Fact]
    public void An_open_loop_schedule_spaces_requests_evenly_from_the_start()
    {
        var loop = new OpenLoop(50, TimeSpan.FromSeconds(2));

        loop.Count.ShouldBe(100);
        loop.DueAt(0).ShouldBe(TimeSpan.Zero);
        loop.DueAt(1).ShouldBe(TimeSpan.FromMilliseconds(20));
        loop.DueAt(99).ShouldBe(TimeSpan.FromMilliseconds(1980));
    }

    [Fact]
    public void Requests_falling_due_while_the_driver_was_late_are_all_due_at_once()
    {
        var loop = new OpenLoop(100, TimeSpan.FromSeconds(1));

        // Woken 55 ms late at the start: requests 0..5 (due at 0, 10, …, 50 ms) go out together, none skipped.
        loop.DueBy(TimeSpan.FromMilliseconds(55)).ShouldBe(6);
        loop.DueBy(TimeSpan.FromMilliseconds(0)).ShouldBe(1);
        loop.DueBy(TimeSpan.FromSeconds(5)).ShouldBe(100);
    }

    [Fact]
    public async Task An_open_loop_counts_latency_from_when_a_request_was_due_not_from_when_it_was_sent()
    {
        // Ten requests at 100/s into a server that answers one at a time in 30 ms: a closed-loop driver would
        // report 30 ms each; from their due times the later ones waited in the queue, and that is what is counted.
        var server = new SemaphoreSlim(1, 1);
        var loop = new OpenLoop(100, TimeSpan.FromSeconds(0.1));

        var result = await loop.Run(async (_, ct) =>
        {
            await server.WaitAsync(ct);
            try
            {
                await Task.Delay(30, ct);
                return (string?)null;
            }
            finally
            {
                server.Release();
            }
        }, CancellationToken.None);

        result.Sent.ShouldBe(10);
        result.Failed.ShouldBe(0);
        result.Latencies.Percentile(1.0).ShouldBeGreaterThan(200);
    }

    [Fact]
    public async Task Failed_requests_are_counted_and_not_timed()
    {
        var result = await new OpenLoop(1000, TimeSpan.FromSeconds(0.01)).Run((i, _) => Task.FromResult<string?>(i % 2 == 0 ? null : "HTTP 503"), CancellationToken.None);

        result.Sent.ShouldBe(10);
        result.Failed.ShouldBe(5);
        result.Latencies.Count.ShouldBe(5);
        result.DescribeFailures().ShouldBe("5 × HTTP 503");
    }

    [Fact]
    public void Wrk_summary_is_read_with_its_units()
    {
        const string output = """
            Running 10s test @ http://127.0.0.1:5181/api/cases/0196
              2 threads and 32 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency    12.31ms    4.02ms  80.11ms   90.00%
                Req/Sec     1.30k   120.00     1.50k    70.00%
              Latency Distribution
                 50%  850.00us
                 75%   14.10ms
                 90%   16.20ms
                 99%    1.02s
              25964 requests in 10.01s, 30.12MB read
              Non-2xx or 3xx responses: 3
            Requests/sec:   2593.81
            Transfer/sec:      3.01MB
            """;

        var result = Wrk.Parse(output);

        result.Requests.ShouldBe(25964);
        result.Elapsed.ShouldBe(TimeSpan.FromSeconds(10.01));
        result.PerSecond.ShouldBe(2593.81);
        result.P50Ms.ShouldBe(0.85, 1e-9);
        result.P99Ms.ShouldBe(1020, 1e-9);
        result.NonSuccess.ShouldBe(3);
    }

    [Fact]
    public void A_goal_is_met_on_its_side_of_the_target_and_never_when_nothing_was_measured()
    {
        new Goal("throughput", 0.85, AtLeast: true, 0.8).Met.ShouldBeTrue();
        new Goal("throughput", 0.75, AtLeast: true, 0.8).Met.ShouldBeFalse();
        new Goal("p99", 250, AtLeast: false, 250).Met.ShouldBeTrue();
        new Goal("p99", double.NaN, AtLeast: false, 250).Met.ShouldBeFalse();
    }

    [Fact]
    public void The_median_of_rounds_is_the_middle_round_whatever_their_order_and_leaves_out_one_disturbed_round()
    {
        Statistics.Median([0.31, 0.12, 0.30]).ShouldBe(0.30);
        Statistics.Median([0.30, 0.32, 0.28, 0.31, 0.05]).ShouldBe(0.30);
        Statistics.Median([4.0, 1.0, 3.0, 2.0]).ShouldBe(2.5);
        Statistics.Median([7.0]).ShouldBe(7.0);
        double.IsNaN(Statistics.Median([])).ShouldBeTrue();
    }
}
