using System.Diagnostics;
using System.Globalization;
using Samskaping.Chaos;
using Samskaping.Chaos.Scenarios;

// ./samskaping chaos [--seeds N] [--scenario NAME] [--seed S] [--reduced] [--list]
// Runs each scenario with seeds 1..N (or the one seed S), prints what it counted, and exits 1 when an invariant broke.

IScenario[] scenarios = [new RabbitMqKill(), new ConsumerKill(), new PostgresKill(), new NavOutage(), new ConsumerFailures(), new RestoreDrill()];

var seeds = 20;
int? onlySeed = null;
string? only = null;
var reduced = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seeds" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n > 0:
            seeds = n;
            i++;
            break;
        case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var s):
            onlySeed = s;
            i++;
            break;
        case "--scenario" when i + 1 < args.Length:
            only = args[++i];
            break;
        case "--reduced":
            reduced = true;
            break;
        case "--list":
            foreach (var scenario in scenarios)
            {
                Console.WriteLine($"{scenario.Name,-20} {scenario.Description}");
            }
            return 0;
        default:
            await Console.Error.WriteLineAsync($"unknown argument: {args[i]}\nusage: ./samskaping chaos [--seeds N] [--scenario NAME] [--seed S] [--reduced] [--list]");
            return 2;
    }
}
if (only is not null && scenarios.All(s => s.Name != only))
{
    await Console.Error.WriteLineAsync($"unknown scenario {only}; known: {string.Join(", ", scenarios.Select(s => s.Name))}");
    return 2;
}
var env = ChaosEnvironment.FromVariables(reduced);
if (env is null)
{
    await Console.Error.WriteLineAsync("SAMSKAPING_ROOT, SAMSKAPING_POSTGRES, SAMSKAPING_RABBITMQ(_MANAGEMENT) and Auth__SigningKey are not set: run it as ./samskaping chaos");
    return 2;
}

var selected = scenarios.Where(s => only is null || s.Name == only).ToList();
var seedList = onlySeed is { } one ? [one] : Enumerable.Range(1, seeds).ToList();
var results = new List<(string Scenario, int Seed, bool Passed, TimeSpan Took, string? Error)>();
Console.WriteLine($"chaos: {selected.Count} scenario(s) × seeds {string.Join(",", seedList)}{(reduced ? " (reduced loads)" : "")}");
foreach (var scenario in selected)
{
    foreach (var seed in seedList)
    {
        var watch = Stopwatch.StartNew();
        string? error = null;
        bool passed;
        var run = new ScenarioRun(env, scenario.Name, seed);
        await using (run)
        {
            run.Say($"{scenario.Description}");
            try
            {
                // A run starts from a verified healthy broker and database, so one run's failure never cascades.
                var unhealthy = await run.Infrastructure.EnsureHealthy(run.Broker);
                run.Check("PostgreSQL (durable) and RabbitMQ answer before the run", unhealthy is null, unhealthy ?? "both answer");
                if (unhealthy is null)
                {
                    await scenario.Run(run);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                error = $"{e.GetType().Name}: {e.Message}";
                run.Check("the scenario ran to the end", false, error);
            }
            passed = run.Passed;
            run.Say(passed ? "PASSED" : $"FAILED — reproduce with: ./samskaping chaos --scenario {scenario.Name} --seed {seed}{(reduced ? " --reduced" : "")}; logs in {run.Folder}");
        }
        results.Add((scenario.Name, seed, passed, watch.Elapsed, error));
    }
}

Console.WriteLine();
Console.WriteLine("| scenario | seeds | passed | failed seeds | time |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var group in results.GroupBy(r => r.Scenario))
{
    var failed = group.Where(r => !r.Passed).Select(r => r.Seed.ToString(CultureInfo.InvariantCulture)).ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {group.Key} | {group.Count()} | {group.Count(r => r.Passed)} | {(failed.Count == 0 ? "-" : string.Join(",", failed))} | {group.Sum(r => r.Took.TotalSeconds):0} s |"));
}
var allPassed = results.All(r => r.Passed);
Console.WriteLine(allPassed ? "chaos: every invariant held" : "chaos: INVARIANTS BROKEN (see above)");
return allPassed ? 0 : 1;
