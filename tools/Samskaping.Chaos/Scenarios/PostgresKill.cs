using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace Samskaping.Chaos.Scenarios;

/// <summary>
/// PostgreSQL killed with SIGKILL (postmaster and every backend, as a crash would end them) while requests keep
/// coming, then started again: it recovers from its write-ahead log. The suite's server runs with fsync and
/// synchronous_commit on (the check before each run holds it to that), so a write a client got a 2xx for must survive.
/// </summary>
internal sealed class PostgresKill : IScenario
{
    public string Name => "postgres-kill";

    public string Description => "kill -9 PostgreSQL (fsync and synchronous_commit on) under load; services not ready while it is down, ready within 10 s after, every 2xx write found exactly once";

    public async Task Run(ScenarioRun run)
    {
        await CasesAndGrants.Add(run, caseWork: true);
        await run.StartAll();
        using var load = new Workload(run);
        var fund = await load.CreateFund(reportToBenefitSystem: false);
        var cases = await CasesAndGrants.OpenCases(run, load, 4);
        if (!await load.GrantsKnow(cases, TimeSpan.FromSeconds(60)))
        {
            run.Check("grants learns of the opened cases", false, "not within 60 s");
            return;
        }
        if (!await CasesAndGrants.PrepareCaseWork(run, load, cases))
        {
            return;
        }

        // Readiness of every service, sampled every 100 ms through the whole scenario.
        var clock = Stopwatch.StartNew();
        var samples = new ConcurrentQueue<(TimeSpan At, string Service, int Status)>();
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var service in run.Services.Values)
                {
                    samples.Enqueue((clock.Elapsed, service.Name, await service.Readiness()));
                }
                await Task.Delay(100);
            }
        });

        // Load: grants requested and approved, cases opened, relay-log entries, measures and responses, until told to stop.
        var plan = new Random(run.Random.Next());
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var mine = new Random(plan.Next() + w);
            while (!stop.IsCancellationRequested)
            {
                var pick = mine.Next(10);
                if (pick == 0)
                {
                    await load.OpenCase($"Familien Omstart {run.Seed}-{w}-{mine.Next()}");
                }
                else if (pick <= 3)
                {
                    await load.CaseWork(pick - 1, cases[mine.Next(cases.Count)]);
                }
                else
                {
                    await load.RequestAndApprove(cases[mine.Next(cases.Count)], fund, Math.Round((decimal)(mine.Next(10_000, 300_000) / 100.0), 2));
                }
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromMilliseconds(run.Random.Next(1000, 4000)));
        // On a busy machine the seeded moment can come before some kind of write got its first 2xx; waiting for
        // one of each keeps every write check about something.
        await Wait.Until(() => Task.FromResult(load.EveryKindAccepted), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
        var downAt = clock.Elapsed;
        run.Say("kill -9 PostgreSQL");
        await run.Infrastructure.Control("postgres-kill");
        var stoppedAt = clock.Elapsed;
        await Task.Delay(TimeSpan.FromMilliseconds(run.Random.Next(1000, 3000)));
        var startingAt = clock.Elapsed;
        await run.Infrastructure.Control("postgres-start");
        var backAt = clock.Elapsed;
        // The harness's own pooled connections died with the server: without this, the next seed's first use of
        // one (creating its databases) failed with 57P01 whenever this seed kept its databases for diagnosis.
        NpgsqlConnection.ClearAllPools();
        run.Say($"PostgreSQL is back (down from {downAt.TotalSeconds:0.0} s to {backAt.TotalSeconds:0.0} s)");

        var (ready, took) = await Wait.Until(async () =>
        {
            foreach (var service in run.Services.Values)
            {
                if (await service.Readiness() != 200)
                {
                    return false;
                }
            }
            return true;
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        await sampler;
        run.Say($"load done: {load.Summary()}");

        var whileDown = samples.Where(s => s.At >= stoppedAt && s.At <= startingAt).ToList();
        var notReady = run.Services.Keys.ToDictionary(s => s, s => whileDown.Count(x => x.Service == s && x.Status == 503));
        run.Check("every service reports not ready (503 on /health/ready) while PostgreSQL is down",
            notReady.Values.All(n => n > 0),
            string.Join(", ", notReady.Select(n => $"{n.Key}: {n.Value} of {whileDown.Count(x => x.Service == n.Key)} samples 503")));
        run.Check("every service is ready again within 10 s of PostgreSQL's return", ready && took <= TimeSpan.FromSeconds(10),
            ready ? $"ready {took.TotalSeconds:0.0} s after PostgreSQL was back" : "not ready within 30 s");

        await Invariants.Settle(run, TimeSpan.FromSeconds(60));
        await Invariants.AcceptedWritesKept(run, load);
        await Invariants.CaseWorkKept(run, load);
        await Invariants.TimelineOnce(run);
    }
}
