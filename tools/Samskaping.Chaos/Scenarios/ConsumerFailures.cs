using System.Globalization;
using Dapper;
using Samskaping.Messaging.Faults;

namespace Samskaping.Chaos.Scenarios;

/// <summary>
/// 10 % transient and 1 % permanent consumer failures, chosen by message id and seed in both services' inboxes
/// (Messaging:Faults), thrown after the effect is written and before the commit.
/// </summary>
internal sealed class ConsumerFailures : IScenario
{
    public string Name => "consumer-failures";

    public string Description => "10 % transient and 1 % permanent consumer failures; transient ones succeed, permanent ones end in the error queue with a Fault, nothing vanishes";

    public async Task Run(ScenarioRun run)
    {
        var failures = new InjectedFailures(run.Seed, Transient: 0.10, Permanent: 0.01);
        await CasesAndGrants.Add(run, new Dictionary<string, string>
        {
            ["Messaging__Faults__Seed"] = failures.Seed.ToString(CultureInfo.InvariantCulture),
            ["Messaging__Faults__TransientFailureRate"] = failures.Transient.ToString(CultureInfo.InvariantCulture),
            ["Messaging__Faults__PermanentFailureRate"] = failures.Permanent.ToString(CultureInfo.InvariantCulture),
        });
        await run.StartAll();
        using var load = new Workload(run);
        var fund = await load.CreateFund(reportToBenefitSystem: false);
        var cases = await CasesAndGrants.OpenCases(run, load, run.Env.Reduced ? 10 : 20);

        // A case whose CaseOpened fails for good never reaches grants: grants are requested only for the others.
        await using var casesDb = run.Infrastructure.Connect(run.Databases["cases"]);
        var opened = (await casesDb.QueryAsync<(Guid Id, Guid CaseId)>(
            "SELECT id, case_id FROM messaging.outbox WHERE message_type = 'Samskaping.Contracts.Cases.CaseOpened'")).ToList();
        var known = opened.Where(o => failures.Fate(o.Id) != MessageFate.Permanent).Select(o => o.CaseId).Intersect(cases).ToList();
        run.Say($"{cases.Count} cases opened, {cases.Count - known.Count} with a CaseOpened failed for good");
        if (known.Count == 0 || !await load.GrantsKnow(known, TimeSpan.FromSeconds(90)))
        {
            run.Check("grants learns of the opened cases whose CaseOpened does not fail for good", false, "not within 90 s");
            return;
        }
        await CasesAndGrants.Burst(run, load, known, fund, run.Env.Reduced ? 60 : 150);
        run.Say($"load done: {load.Summary()}");

        var count = await Invariants.Settle(run, TimeSpan.FromSeconds(90), failures);
        var injected = run.Services.Values.Sum(s => s.CountLines("Fault suite: injected"));
        run.Check("injected failures happened and were retried", count.Transient > 0 && injected >= count.Transient,
            $"{count.Transient} transient and {count.Permanent} permanent messages; {injected} failed attempts logged");
        run.Check("permanent failures end in the error queues with MassTransit's fault headers (InjectedFaultException)",
            count.Errored == count.Deliveries - count.Consumed && count.UnexpectedErrors == 0,
            $"{count.Errored} in error queues = {count.Deliveries} due - {count.Consumed} consumed");
        await Invariants.AcceptedWritesKept(run, load);
        await Invariants.TimelineOnce(run, failures);
    }
}
