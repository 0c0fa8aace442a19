using System.Diagnostics;

namespace Samskaping.Chaos.Scenarios;

/// <summary>kill -9 of the RabbitMQ node at a seeded moment of a burst of money-moving requests, then a restart.</summary>
internal sealed class RabbitMqKill : IScenario
{
    public string Name => "rabbitmq-kill";

    public string Description => "kill -9 RabbitMQ during a burst of 1,000 disbursement requests; exactly one effect each, every event consumed once, outbox drained within 60 s";

    public async Task Run(ScenarioRun run)
    {
        var requests = run.Env.Reduced ? 200 : 1000;
        await CasesAndGrants.Add(run, caseWork: true);
        await run.StartAll();
        using var load = new Workload(run);
        var fund = await load.CreateFund(reportToBenefitSystem: false);
        var cases = await CasesAndGrants.OpenCases(run, load, run.Env.Reduced ? 4 : 10);
        if (!await load.GrantsKnow(cases, TimeSpan.FromSeconds(60)))
        {
            run.Check("grants learns of the opened cases", false, "not within 60 s");
            return;
        }
        if (!await CasesAndGrants.PrepareCaseWork(run, load, cases))
        {
            return;
        }

        // The moment of the kill: a seeded request number in the first two thirds of the burst.
        var killAt = run.Random.Next(requests / 20, requests * 2 / 3);
        var downFor = TimeSpan.FromMilliseconds(run.Random.Next(500, 4000));
        Task? fault = null;
        var brokerBack = new TaskCompletionSource<Stopwatch>();
        load.BeforeRequest = number =>
        {
            if (number != killAt)
            {
                return;
            }
            fault = Task.Run(async () =>
            {
                run.Say($"request {number} of {requests}: kill -9 RabbitMQ (down for at least {downFor.TotalSeconds:0.0} s)");
                await run.Infrastructure.Control("rabbitmq-kill");
                await Task.Delay(downFor);
                await run.Infrastructure.Control("rabbitmq-start");
                run.Say("RabbitMQ is back");
                brokerBack.SetResult(Stopwatch.StartNew());
            });
        };
        await CasesAndGrants.Burst(run, load, cases, fund, requests / 2, caseWork: true);
        run.Say($"burst done: {load.Summary()}");
        if (fault is null)
        {
            run.Check("RabbitMQ was killed during the burst", false, $"request {killAt} was never sent");
            return;
        }
        await fault;
        var since = await brokerBack.Task;

        var (drained, took) = await Wait.Until(async () => (await Invariants.Count(run)).Pending == 0, TimeSpan.FromSeconds(60));
        run.Check("the outboxes drain within 60 s of RabbitMQ's return", drained,
            drained ? $"drained {since.Elapsed.TotalSeconds:0.0} s after the restart" : "events still pending after 60 s");
        await Invariants.Settle(run, TimeSpan.FromSeconds(60));
        await Invariants.AcceptedWritesKept(run, load);
        await Invariants.CaseWorkKept(run, load);
        await Invariants.TimelineOnce(run);
    }
}
