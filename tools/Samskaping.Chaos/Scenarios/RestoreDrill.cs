using Dapper;

namespace Samskaping.Chaos.Scenarios;

/// <summary>
/// The restore drill (docs/operations.md, "Restore"): grants' database is backed up, lives on (it learns of cases
/// opened after the backup), is destroyed, and is restored from the backup, which knows nothing of those cases. The
/// other services' outboxes keep published events for a week (Outbox:Retention), so publishing again what they
/// published since shortly before the backup brings grants back in step: its restored inbox recognises what it had
/// already applied, applies the rest once, and every other consumer's inbox ignores the repeat.
/// Writes made to grants itself after the backup are not part of the drill: a logical backup cannot bring them back
/// (production restores to a point in time from the write-ahead log archive for that).
/// </summary>
internal sealed class RestoreDrill : IScenario
{
    /// <summary>Events published this long before the backup began are published again too: a consumer may still
    /// have been applying them when the backup took its snapshot, and the inbox makes a repeat harmless.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);

    public string Name => "restore-drill";

    public string Description => "back up grants' database, destroy it, restore it; publishing the others' events again since the backup brings it back in step, each applied once";

    public async Task Run(ScenarioRun run)
    {
        var before = run.Env.Reduced ? 4 : 8;
        var after = run.Env.Reduced ? 4 : 12;
        await CasesAndGrants.Add(run);
        await run.StartAll();
        using var load = new Workload(run);
        var fund = await load.CreateFund(reportToBenefitSystem: false);
        var early = await CasesAndGrants.OpenCases(run, load, before);
        if (!await load.GrantsKnow(early, TimeSpan.FromSeconds(60)))
        {
            run.Check("grants learns of the cases opened before the backup", false, "not within 60 s");
            return;
        }
        await CasesAndGrants.Burst(run, load, early, fund, before * 3, parallel: 4);
        await Invariants.Settle(run, TimeSpan.FromSeconds(60));

        var database = run.Databases["grants"];
        var backup = Path.Combine(run.Folder, "grants.dump");
        DateTime backupStarted;
        await using (var grants = run.Infrastructure.Connect(database))
        {
            backupStarted = await grants.ExecuteScalarAsync<DateTime>("SELECT now()");
        }
        await run.Infrastructure.Control("postgres-backup", database, backup);
        run.Say($"backed up {database} ({new FileInfo(backup).Length / 1024.0:0} KiB)");

        var late = await CasesAndGrants.OpenCases(run, load, after);
        var knewLate = await load.GrantsKnow(late, TimeSpan.FromSeconds(60));
        await Invariants.Settle(run, TimeSpan.FromSeconds(60));
        var lived = await Snapshot(run);
        run.Say($"after the backup {late.Count} cases opened; grants knew them: {knewLate}; grants holds {lived}");

        foreach (var replica in run.Replicas("grants"))
        {
            replica.Kill();
        }
        await run.Infrastructure.DropDatabase(database);
        // The harness's pooled connections to the dropped database were ended with it.
        Npgsql.NpgsqlConnection.ClearAllPools();
        await run.Infrastructure.CreateDatabase(database);
        await run.Infrastructure.Control("postgres-restore", database, backup);
        foreach (var replica in run.Replicas("grants"))
        {
            replica.Start();
        }
        foreach (var replica in run.Replicas("grants"))
        {
            await replica.WaitReady(TimeSpan.FromSeconds(90));
        }
        var lost = await UnknownToGrants(run, late);
        run.Check("the restored database is the backup: the cases opened after it are unknown to grants",
            knewLate && lost == late.Count, $"{lost} of {late.Count} unknown after the restore");

        int republished;
        await using (var cases = run.Infrastructure.Connect(run.Databases["cases"]))
        {
            republished = await cases.ExecuteAsync(
                "UPDATE messaging.outbox SET published_at = NULL, attempts = 0, last_error = NULL WHERE published_at >= @since",
                new { since = backupStarted - Margin });
        }
        run.Say($"cases publishes again the {republished} events it published since {Margin.TotalMinutes:0} minutes before the backup");

        var back = await load.GrantsKnow(late, TimeSpan.FromSeconds(60));
        await Invariants.Settle(run, TimeSpan.FromSeconds(60));
        var restored = await Snapshot(run);
        run.Check("grants is back in step: every case known again, the cases and the ledger as before the loss",
            back && restored == lived, $"before: {lived}; after: {restored}");
        var recognised = run.Replicas("grants").Sum(r => r.CountLines("was already handled by"));
        run.Check("events applied before the backup were recognised by the restored inbox (no second effect)",
            recognised >= 1, $"{recognised} repeat(s) acknowledged without an effect, in the logs of the grants replicas");
        await Invariants.AcceptedWritesKept(run, load);
        await Invariants.TimelineOnce(run);
    }

    private static async Task<int> UnknownToGrants(ScenarioRun run, IEnumerable<Guid> cases)
    {
        await using var grants = run.Infrastructure.Connect(run.Databases["grants"]);
        var ids = cases.ToArray();
        var known = await grants.ExecuteScalarAsync<int>("SELECT count(*)::int FROM grants.cases WHERE case_id = ANY(@ids)", new { ids });
        return ids.Length - known;
    }

    /// <summary>What grants holds, without the moments it recorded things (those differ when a case is learnt again).</summary>
    private static async Task<string> Snapshot(ScenarioRun run)
    {
        await using var grants = run.Infrastructure.Connect(run.Databases["grants"]);
        return await grants.ExecuteScalarAsync<string>("""
            SELECT format('%s cases (digest %s), %s grants, %s ledger entries, balances %s',
                (SELECT count(*) FROM grants.cases),
                (SELECT left(md5(coalesce(string_agg(concat_ws('|', case_id, opened_by_sector, opened_at, closed_at, status_changed_at), ',' ORDER BY case_id), '')), 12) FROM grants.cases),
                (SELECT count(*) FROM grants.grants),
                (SELECT count(*) FROM grants.ledger_entries),
                (SELECT string_agg(kind || '=' || balance, ' ' ORDER BY kind) FROM grants.account_balances))
            """) ?? "";
    }
}
