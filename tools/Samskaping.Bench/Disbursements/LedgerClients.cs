using System.Diagnostics;
using Npgsql;
using Samskaping.Bench.Load;
using Samskaping.Grants.Funds;
using Samskaping.Grants.Ledger;

namespace Samskaping.Bench.Disbursements;

/// <summary>
/// The in-process side: <paramref name="clients"/> tasks, each posting an approval's reservation of 1 NOK (available →
/// reserved) on one fund through the grants service's own <see cref="FundLedger"/>, one database transaction each.
/// </summary>
internal static class LedgerClients
{
    public static async Task<Measurement> Measure(
        NpgsqlDataSource dataSource, FundLedger ledger, Guid fundId, int clients, TimeSpan duration, bool commitTogether, string label, CancellationToken ct)
    {
        var refused = 0L;
        async Task Disburse(Latencies latencies)
        {
            var started = Stopwatch.GetTimestamp();
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var posting = ledger.Prepare(LedgerKinds.Reserve, "bench", "bench",
                [new Leg(fundId, AccountKinds.Available, -1m), new Leg(fundId, AccountKinds.Reserved, 1m)], null, null);
            LedgerRefusal? refusal;
            if (commitTogether)
            {
                refusal = await FundLedger.Commit(tx, posting, [], ct);
            }
            else if ((refusal = await FundLedger.Post(tx, posting, ct)) is null)
            {
                await tx.CommitAsync(ct);
            }
            if (refusal is null)
            {
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            else
            {
                Interlocked.Increment(ref refused);
            }
        }

        var (latencies, elapsed) = await ClosedLoop.Run(clients, duration, Disburse, ct);
        if (refused > 0)
        {
            throw new InvalidOperationException($"{refused} disbursements were refused: the benchmark fund ran dry.");
        }
        return new Measurement(label, latencies.Count, elapsed, latencies.Percentile(0.5), latencies.Percentile(0.99));
    }
}
