namespace Samskaping.Chaos.Scenarios;

/// <summary>One fault and the invariants that must survive it.</summary>
internal interface IScenario
{
    string Name { get; }

    string Description { get; }

    Task Run(ScenarioRun run);
}

/// <summary>The system most scenarios need: cases and grants, which consume each other's events.</summary>
internal static class CasesAndGrants
{
    public static async Task Add(ScenarioRun run, Dictionary<string, string>? settings = null)
    {
        await run.Add("cases", "Samskaping.Cases", 5281, settings);
        await run.Add("grants", "Samskaping.Grants", 5282, settings);
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

    /// <summary>Requests and approves <paramref name="grants"/> grants over the cases, <paramref name="parallel"/> at a time.</summary>
    public static async Task Burst(ScenarioRun run, Workload load, IReadOnlyList<Guid> cases, Guid fund, int grants, int parallel = 8)
    {
        // Draw every choice up front, in order, so the seed alone decides the plan.
        var plan = Enumerable.Range(0, grants).Select(_ => (Case: cases[run.Random.Next(cases.Count)], Amount: load.Amount())).ToList();
        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = parallel },
            async (item, _) => await load.RequestAndApprove(item.Case, fund, item.Amount));
    }
}
