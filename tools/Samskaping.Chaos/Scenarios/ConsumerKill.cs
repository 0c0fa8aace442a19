using System.Globalization;

namespace Samskaping.Chaos.Scenarios;

/// <summary>
/// One replica of a consumer service killed (SIGKILL, by its own inbox: Messaging:Faults:KillAfterCommit) right after an
/// inbox transaction commits and before the message is acknowledged; the broker gives the message again to the other
/// replica (or to the killed one, restarted), which must recognise it.
/// </summary>
internal sealed class ConsumerKill : IScenario
{
    public string Name => "consumer-kill";

    public string Description => "kill -9 a consumer service between its database commit and its acknowledgement; no duplicate effect";

    public async Task Run(ScenarioRun run)
    {
        var caseCount = run.Env.Reduced ? 4 : 8;
        var grantCount = run.Env.Reduced ? 40 : 100;
        await CasesAndGrants.Add(run);
        // cases consumes two grant events per grant (timeline); grants consumes CaseOpened twice per case. The replicas
        // compete for them, so the first one (the victim) commits about half: the kill comes within its first half.
        var victim = run.Random.Next(2) == 0 ? "cases" : "grants";
        var killAfter = run.Random.Next(1, (victim == "cases" ? grantCount : caseCount) / ScenarioRun.ReplicasPerService + 1);
        run.Say($"{victim} will kill itself after its inbox commit number {killAfter}");
        await run.StartAll(new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            [victim] = new Dictionary<string, string>
            {
                ["Messaging__Faults__KillAfterCommit"] = killAfter.ToString(CultureInfo.InvariantCulture),
                ["Messaging__Faults__Seed"] = run.Seed.ToString(CultureInfo.InvariantCulture),
            },
        });
        var process = run[victim];
        var restarted = Task.Run(async () =>
        {
            await process.Exited;
            run.Say($"{victim} exited with code {process.ExitCode}; starting it again without the fault");
            var code = process.ExitCode;
            process.Start();
            await process.WaitReady(TimeSpan.FromSeconds(90));
            run.Say($"{victim} is ready again");
            return code;
        });

        using var load = new Workload(run);
        var fund = await load.CreateFund(reportToBenefitSystem: false);
        var cases = await CasesAndGrants.OpenCases(run, load, caseCount);
        if (!await load.GrantsKnow(cases, TimeSpan.FromSeconds(120)))
        {
            run.Check("grants learns of the opened cases", false, "not within 120 s");
            return;
        }
        await CasesAndGrants.Burst(run, load, cases, fund, grantCount, parallel: 4);
        run.Say($"load done: {load.Summary()}");

        var finished = await Task.WhenAny(restarted, Task.Delay(TimeSpan.FromSeconds(60)));
        var exitCode = finished == restarted ? await restarted : (int?)null;
        run.Check($"{victim} was killed (SIGKILL) after commit {killAfter}, before the acknowledgement",
            exitCode == 137 && process.CountLines("chaos: killing process") == 1,
            $"exit code {exitCode?.ToString(CultureInfo.InvariantCulture) ?? "none (not killed)"}, {process.Starts} starts");
        if (exitCode is null)
        {
            return;
        }
        await Invariants.Settle(run, TimeSpan.FromSeconds(60));
        var recognised = run.Replicas(victim).Sum(r => r.CountLines("was already handled by"));
        run.Check("the redelivered message was recognised by the inbox (no second effect)", recognised >= 1,
            $"{recognised} redelivery(ies) acknowledged without an effect, in the logs of the {victim} replicas");
        await Invariants.AcceptedWritesKept(run, load);
        await Invariants.TimelineOnce(run);
    }
}
