using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dapper;

namespace Samskaping.Chaos.Scenarios;

/// <summary>
/// The NAV-style simulator killed (SIGKILL) at a seeded moment of a burst of grant requests and approvals over
/// cases whose status feeds are reported to it, kept down for a minute while the load goes on, started again on
/// the same port and data file, and raced by a small burst right after its return. Afterwards every case's latest
/// status document must be on the other side, and nothing older may have overtaken anything newer.
/// </summary>
internal sealed partial class NavOutage : IScenario
{
    private const string FiksOrgId = "11415cd1-e26d-499a-8421-751457dfcbd5";
    private static readonly TimeSpan DeliveredWithin = TimeSpan.FromSeconds(120);

    public string Name => "nav-outage";

    public string Description => "the NAV-style simulator killed (kill -9) for a minute under load and started again: every latest status document delivered afterwards";

    public async Task Run(ScenarioRun run)
    {
        var reduced = run.Env.Reduced;
        var caseCount = reduced ? 4 : 10;
        var grantCount = reduced ? 40 : 100;
        var requests = grantCount * 2; // a request and an approval per grant
        var downFor = TimeSpan.FromSeconds(reduced ? 15 : 60);

        // Draw every choice up front, in order, so the seed alone decides the plan.
        var killAt = run.Random.Next(requests / 20, requests * 2 / 3);
        var afterReturn = run.Random.Next(3, reduced ? 8 : 16);
        var applicants = Enumerable.Range(0, caseCount).Select(_ => IdentityNumbers.Adult(run.Random)).ToList();

        var simulator = await AddSystem(run, reduced);
        await run.Prepare();
        await run.StartAll();
        var benefits = run.Replicas("benefits");
        using var load = new Workload(run);
        using var inspect = new HttpClient { BaseAddress = simulator.Address, Timeout = TimeSpan.FromSeconds(10) };

        var fund = await load.CreateFund(reportToBenefitSystem: true);
        var cases = await CasesAndGrants.OpenCases(run, load, caseCount);
        var withApplicant = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            withApplicant += await load.AddAdult(cases[i], $"Mona Chaos {run.Seed}-{i}", applicants[i]) ? 1 : 0;
        }
        if (withApplicant != caseCount || !await load.GrantsKnow(cases, TimeSpan.FromSeconds(60)))
        {
            run.Check("the cases are opened, each with an applicant, and grants learns of them", false, $"{cases.Count} opened, {withApplicant} with an applicant");
            return;
        }
        run.Say($"{cases.Count} cases opened, each with an applicant; grants knows them");
        // Warm-up: one grant per case, delivered, so the simulator holds Digisos cases and documents to forget.
        foreach (var caseId in cases)
        {
            await load.RequestAndApprove(caseId, fund, load.Amount());
        }
        List<SimulatorCase> beforeKill = [];
        var (warm, warmTook) = await Wait.Until(async () =>
        {
            beforeKill = await inspect.GetFromJsonAsync<List<SimulatorCase>>(new Uri("simulator/digisos", UriKind.Relative)) ?? [];
            return beforeKill.Count == caseCount && beforeKill.All(c => c.Received > 0);
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250));
        if (!warm)
        {
            run.Check("the warm-up grants reach the simulator", false, $"{beforeKill.Count} Digisos cases on the simulator; {(await Delivery(run)).Counted}");
            return;
        }
        var offset = load.Requests;
        run.Say($"{cases.Count} cases, each with an adult with an identity number and a warm-up grant delivered in {warmTook.TotalSeconds:0.0} s ({beforeKill.Count} Digisos cases, {beforeKill.Sum(c => c.Received)} documents on the simulator); it goes down at request {killAt} of {requests} for {downFor.TotalSeconds:0} s");

        Task? outage = null;
        var back = new TaskCompletionSource<Stopwatch>(TaskCreationOptions.RunContinuationsAsynchronously);
        var failedLinesAtKill = 0;
        var failedLinesAtReturn = 0;
        (int Failing, int Pending, int Feeds) atReturn = default;
        List<SimulatorCase> afterRestart = [];
        load.BeforeRequest = number =>
        {
            if (number != offset + killAt)
            {
                return;
            }
            // At once, before this request goes out: everything it and the later ones change must wait for the return.
            failedLinesAtKill = benefits.Sum(b => b.CountLines(FailedLine));
            simulator.Kill();
            run.Say($"request {number - offset} of {requests} (after {offset} warm-up requests): kill -9 of the simulator (exit code {simulator.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"}); down for {downFor.TotalSeconds:0} s");
            outage = Task.Run(async () =>
            {
                await Task.Delay(downFor);
                failedLinesAtReturn = benefits.Sum(b => b.CountLines(FailedLine));
                atReturn = await FeedsFailing(run);
                simulator.Start();
                await simulator.WaitReady(TimeSpan.FromSeconds(60));
                afterRestart = await inspect.GetFromJsonAsync<List<SimulatorCase>>(new Uri("simulator/digisos", UriKind.Relative)) ?? [];
                run.Say("the simulator is back (same port, same data file)");
                back.SetResult(Stopwatch.StartNew());
            });
        };
        await CasesAndGrants.Burst(run, load, cases, fund, grantCount, parallel: 4);
        run.Say($"burst done: {load.Summary()}");
        if (outage is null)
        {
            run.Check("the simulator was killed during the burst", false, $"request {killAt} was never sent");
            return;
        }
        await outage;
        var since = await back.Task;

        // Right after the return, racing the deliveries that resume now.
        load.BeforeRequest = null;
        await CasesAndGrants.Burst(run, load, cases, fund, afterReturn, parallel: 4);
        run.Say($"{afterReturn} more grants right after the return; {load.Summary()}");

        var kept = beforeKill.Count(b => afterRestart.Any(a => a.DigisosId == b.DigisosId && a.FiksOrgId == b.FiksOrgId && a.CreatedAt == b.CreatedAt && a.Received >= b.Received));
        run.Check("the restarted simulator still knows every Digisos case and document it had accepted (its data file)",
            kept == beforeKill.Count,
            $"before the burst {beforeKill.Count} cases with {beforeKill.Sum(c => c.Received)} documents; after the restart {afterRestart.Count} cases with {afterRestart.Sum(c => c.Received)} documents, {kept} of the earlier cases kept with at least their documents");
        run.Check("while the simulator was down, deliveries were attempted and failed",
            failedLinesAtReturn > failedLinesAtKill && atReturn.Failing > 0,
            $"{failedLinesAtReturn - failedLinesAtKill} failed delivery attempts in benefits' log during the outage; at the return {atReturn.Failing} of {atReturn.Feeds} feeds had failed attempts, {atReturn.Pending} pending");

        await FeedsDelivered(run, since);
        await SimulatorHoldsLatest(run, inspect, load);
        await Invariants.Settle(run, TimeSpan.FromSeconds(60));
        await Invariants.AcceptedWritesKept(run, load);
        await Invariants.TimelineOnce(run);
    }

    private const string FailedLine = "status document failed (attempt";

    /// <summary>
    /// cases, grants, benefits and the simulator on 5291–5294 (not 5281/5282, which other chaos runs use), the services'
    /// second replicas on 5391–5393, the gateway on 5290.
    /// </summary>
    private static async Task<ServiceProcess> AddSystem(ScenarioRun run, bool reduced)
    {
        var signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var clientSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var passord = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var simulator = run.AddProcess("nav-simulator", "Samskaping.NavSimulator", 5294, new Dictionary<string, string>
        {
            ["NavSimulator__Issuer"] = "nav-simulator-chaos",
            ["NavSimulator__SigningKey"] = signingKey,
            ["NavSimulator__ClientId"] = "samskaping-benefits-chaos",
            ["NavSimulator__ClientSecret"] = clientSecret,
            ["NavSimulator__IntegrasjonId"] = "chaos",
            ["NavSimulator__IntegrasjonPassord"] = passord,
            ["NavSimulator__DataFile"] = Path.Combine(run.Folder, "nav-simulator.jsonl"),
            ["Logging__LogLevel__Default"] = "Warning",
        });
        var cases = new Uri("http://127.0.0.1:5291/");
        var benefits = new Dictionary<string, string>
        {
            ["Benefits__Nav__BaseUrl"] = simulator.Address.ToString(),
            ["Benefits__Nav__TokenEndpoint"] = new Uri(simulator.Address, "token").ToString(),
            ["Benefits__Nav__ClientId"] = "samskaping-benefits-chaos",
            ["Benefits__Nav__ClientSecret"] = clientSecret,
            ["Benefits__Nav__FiksOrgId"] = FiksOrgId,
            ["Benefits__Nav__IntegrasjonId"] = "chaos",
            ["Benefits__Nav__IntegrasjonPassord"] = passord,
            ["Benefits__Cases__BaseUrl"] = cases.ToString(),
            ["Benefits__Inbound__Issuer"] = "nav-simulator-chaos",
            ["Benefits__Inbound__SigningKey"] = signingKey,
        };
        if (reduced)
        {
            // The reduced run is short: a shorter longest backoff and circuit break than production's 30 s / 15 s.
            benefits["Benefits__Feed__MaxBackoffSeconds"] = "5";
            benefits["Benefits__Feed__BreakSeconds"] = "5";
        }
        await run.Add("cases", "Samskaping.Cases", 5291);
        await run.Add("grants", "Samskaping.Grants", 5292);
        await run.Add("benefits", "Samskaping.Benefits", 5293, benefits);
        run.AddGateway(5290);
        return simulator;
    }

    private static async Task<(int Failing, int Pending, int Feeds)> FeedsFailing(ScenarioRun run)
    {
        await using var connection = run.Infrastructure.Connect(run.Databases["benefits"]);
        return await connection.QuerySingleAsync<(int, int, int)>("""
            SELECT count(*) FILTER (WHERE attempts > 0 AND last_error IS NOT NULL)::int,
                   count(*) FILTER (WHERE state IN ('pending', 'waiting-for-applicant'))::int,
                   count(*)::int
            FROM benefits.feeds
            """);
    }

    /// <summary>Every case with a grant has a feed whose current version is delivered; none refused, pending or invalid.</summary>
    private static async Task FeedsDelivered(ScenarioRun run, Stopwatch since)
    {
        var last = (Done: false, Counted: "");
        var (held, _) = await Wait.Until(async () =>
        {
            last = await Delivery(run);
            return last.Done;
        }, DeliveredWithin - since.Elapsed, TimeSpan.FromSeconds(1));
        run.Check($"within {DeliveredWithin.TotalSeconds:0} s of the simulator's return every feed is delivered at its current version", held,
            string.Create(CultureInfo.InvariantCulture, $"{last.Counted} ({since.Elapsed.TotalSeconds:0.0} s after the return)"));
    }

    /// <summary>Whether every case with a grant has its current version delivered and no event is still on its way.</summary>
    private static async Task<(bool Done, string Counted)> Delivery(ScenarioRun run)
    {
        await using var grants = run.Infrastructure.Connect(run.Databases["grants"]);
        var withGrant = (await grants.QueryAsync<Guid>("SELECT DISTINCT case_id FROM grants.grants")).ToHashSet();
        await using var benefits = run.Infrastructure.Connect(run.Databases["benefits"]);
        var feeds = (await benefits.QueryAsync<(Guid CaseId, string State, int Version, int? DeliveredVersion)>(
            "SELECT case_id, state, version, delivered_version FROM benefits.feeds")).ToList();
        var delivered = feeds.Count(f => f.State == "delivered" && f.DeliveredVersion == f.Version);
        var missing = withGrant.Count(c => feeds.All(f => f.CaseId != c));
        var states = string.Join(", ", feeds.Where(f => f.State != "delivered").GroupBy(f => f.State).Select(g => $"{g.Count()} {g.Key}"));
        var settled = (await Invariants.Count(run)).Settled;
        var counted = string.Create(CultureInfo.InvariantCulture,
            $"{withGrant.Count} cases with a grant, {feeds.Count} feeds, {delivered} delivered at their current version ({feeds.Sum(f => f.Version)} versions in all); {missing} cases without a feed; not delivered: {(states.Length == 0 ? "none" : states)}; events {(settled ? "all consumed" : "still moving")}");
        return (settled && missing == 0 && withGrant.Count > 0 && delivered == feeds.Count && feeds.Count == withGrant.Count, counted);
    }
}
