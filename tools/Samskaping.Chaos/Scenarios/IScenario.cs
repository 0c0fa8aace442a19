using System.Security.Cryptography;

namespace Samskaping.Chaos.Scenarios;

/// <summary>One fault and the invariants that must survive it.</summary>
internal interface IScenario
{
    string Name { get; }

    string Description { get; }

    Task Run(ScenarioRun run);
}

/// <summary>
/// The system most scenarios need: cases and grants, which consume each other's events; with
/// <c>caseWork</c> also coordination and outcomes, which consume the cases' events and take writes of their own.
/// Each service as two replicas (5281–5284 and 5381–5384), the gateway in front of them on 5280.
/// </summary>
internal static class CasesAndGrants
{
    public static async Task Add(ScenarioRun run, Dictionary<string, string>? settings = null, bool caseWork = false)
    {
        await run.Add("cases", "Samskaping.Cases", 5281, settings);
        await run.Add("grants", "Samskaping.Grants", 5282, settings);
        if (caseWork)
        {
            await run.Add("coordination", "Samskaping.Coordination", 5283, settings);
            var outcomes = new Dictionary<string, string>(settings ?? [])
            {
                ["Outcomes__PseudonymKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                // The baseline is due at once and the first two follow-ups open now, so the run has measurements
                // to answer; the third follow-up (12 months) stays closed and is never sent.
                ["Schedules__BaselineDueAfter"] = "00:00:00",
                ["Schedules__FollowUpMonths__0"] = "1",
                ["Schedules__FollowUpMonths__1"] = "2",
                ["Schedules__FollowUpOpensBefore"] = "90.00:00:00",
            };
            await run.Add("outcomes", "Samskaping.Outcomes", 5284, outcomes);
        }
        run.AddGateway(5280);
        await run.Prepare();
    }

    /// <summary>Opens <paramref name="count"/> cases and waits until grants knows them (from CaseOpened).</summary>
    public static async Task<List<Guid>> OpenCases(ScenarioRun run, Workload load, int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            if (await load.OpenCase($"Familien Chaos {run.Seed}-{i}") is { } id)
            {
                ids.Add(id);
            }
        }
        return ids;
    }

    /// <summary>
    /// Requests and approves <paramref name="grants"/> grants over the cases, <paramref name="parallel"/> at a time;
    /// with <paramref name="caseWork"/>, about four in ten of them come after a relay-log entry, a measure or a
    /// response on the same case, so the burst's money-moving requests stay as many as without.
    /// </summary>
    public static async Task Burst(ScenarioRun run, Workload load, IReadOnlyList<Guid> cases, Guid fund, int grants, int parallel = 8, bool caseWork = false)
    {
        // Draw every choice up front, in order, so the seed alone decides the plan.
        var plan = Enumerable.Range(0, grants)
            .Select(_ => (Case: cases[run.Random.Next(cases.Count)], Amount: load.Amount(), Work: caseWork && run.Random.Next(10) < 4 ? run.Random.Next(3) : -1))
            .ToList();
        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (item, _) =>
        {
            if (item.Work >= 0)
            {
                await load.CaseWork(item.Work, item.Case);
            }
            await load.RequestAndApprove(item.Case, fund, item.Amount);
        });
    }

    /// <summary>Prepares the cases for coordination and outcomes writes; records a failed check and says false when it could not.</summary>
    public static async Task<bool> PrepareCaseWork(ScenarioRun run, Workload load, IReadOnlyList<Guid> cases)
    {
        var failed = await load.PrepareCaseWork(cases, TimeSpan.FromSeconds(60));
        if (failed is not null)
        {
            run.Check("coordination and outcomes know the active cases with their members and measurements", false, failed);
        }
        return failed is null;
    }
}
