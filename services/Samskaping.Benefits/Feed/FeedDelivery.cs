using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Benefits.People;
using Samskaping.Contracts.Benefits;
using Samskaping.Messaging.Database;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Benefits.Feed;

/// <summary>
/// Delivers each case's current status document to the benefit system. Feeds are leased with
/// <c>FOR UPDATE SKIP LOCKED</c> and a lease column, so replicas never send the same case at once; a failed delivery
/// is tried again after a capped exponential backoff, so nothing is lost while the other side is down; an accepted
/// version is recorded only if it is newer than the one recorded, so an older version never overtakes a newer one.
/// Woken on commit of every new version (NOTIFY), with polling as a safety net.
/// </summary>
public sealed partial class FeedDelivery(
    NpgsqlDataSource dataSource,
    DigisosClient digisos,
    IServiceScopeFactory scopes,
    OutboxWriter outbox,
    IOptions<FeedOptions> options,
    TimeProvider clock,
    ILogger<FeedDelivery> logger) : BackgroundService
{
    private const int LeaseMarginSeconds = 5;
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(50);
    private const string ApplicantPurpose = "create the case on the benefit system's side (Digisos status feed)";
    private readonly WakeSignal _wake = new(clock);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listening = ListenForVersions(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var leased = await DeliverDue(stoppingToken);
                if (leased < options.Value.BatchSize)
                {
                    await WaitForWork(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database away, or anything unforeseen: the worker must outlive it; leases taken expire by themselves.
                LogRoundFailed(logger, e.GetType().Name, e.Message);
                await Pause(TimeSpan.FromMilliseconds(options.Value.PollIntervalMilliseconds), stoppingToken);
            }
        }
        await listening;
    }

    /// <summary>Leases the feeds that are due and delivers each. Returns how many were leased.</summary>
    internal async Task<int> DeliverDue(CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.Now();
        List<LeasedFeed> due;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            due = (await connection.QueryAsync<LeasedFeed>(new CommandDefinition(
                """
                UPDATE benefits.feeds f SET leased_until = @until
                FROM (SELECT case_id FROM benefits.feeds
                      WHERE state IN ('pending', 'waiting-for-applicant') AND next_attempt_at <= @now
                        AND (leased_until IS NULL OR leased_until <= @now)
                      ORDER BY next_attempt_at
                      LIMIT @batch
                      FOR UPDATE SKIP LOCKED) due
                WHERE f.case_id = due.case_id
                RETURNING f.case_id AS CaseId, f.version AS Version, f.document::text AS Document, f.events AS Events,
                          f.digisos_id AS DigisosId, f.attempts AS Attempts
                """, new { now, until = now.AddSeconds(o.LeaseSeconds), batch = o.BatchSize }, cancellationToken: ct))).AsList();
        }
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (feed, token) =>
        {
            // A delivery never outlives its lease: after it, another replica may send a newer version, and this
            // older one must not reach the other side after that.
            using var lease = CancellationTokenSource.CreateLinkedTokenSource(token);
            lease.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, o.LeaseSeconds - LeaseMarginSeconds)));
            try
            {
                await Deliver(feed, lease.Token);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                await Failed(feed, "The delivery took longer than its lease and was abandoned.", token);
            }
        });
        return due.Count;
    }

    private async Task Deliver(LeasedFeed feed, CancellationToken ct)
    {
        var digisosId = feed.DigisosId;
        if (digisosId is null)
        {
            Applicant? applicant;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                applicant = await scope.ServiceProvider.GetRequiredService<CasesDirectory>().Applicant(feed.CaseId, ApplicantPurpose, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                await Failed(feed, $"The cases service could not name the applicant ({e.GetType().Name}).", ct);
                return;
            }
            if (applicant is null)
            {
                await WaitForApplicant(feed, ct);
                return;
            }
            var created = await digisos.CreateCase(applicant.IdentityNumber, ct);
            if (created.Outcome != DigisosOutcome.Accepted)
            {
                await (created.Outcome == DigisosOutcome.Refused ? Refused(feed, "creating the Digisos case: " + created.Detail, ct) : Failed(feed, "creating the Digisos case: " + created.Detail, ct));
                return;
            }
            digisosId = created.DigisosId!;
            await StoreDigisosId(feed.CaseId, digisosId, ct);
        }

        var sent = await digisos.Send(digisosId, feed.Document, ct);
        switch (sent.Outcome)
        {
            case DigisosOutcome.Accepted:
                await Delivered(feed, digisosId, ct);
                break;
            case DigisosOutcome.Refused:
                await Refused(feed, sent.Detail, ct);
                break;
            default:
                await Failed(feed, sent.Detail, ct);
                break;
        }
    }

    /// <summary>Stored at once: a crash before the document goes out must not create a second Digisos case.</summary>
    private async Task StoreDigisosId(Guid caseId, string digisosId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE benefits.feeds
            SET digisos_id = @digisosId, state = CASE WHEN state = 'waiting-for-applicant' THEN 'pending' ELSE state END
            WHERE case_id = @caseId AND digisos_id IS NULL
            """, new { caseId, digisosId }, cancellationToken: ct));
    }

    private async Task Delivered(LeasedFeed feed, string digisosId, CancellationToken ct)
    {
        var now = clock.Now();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // The feed row's lock puts this before or after an anonymisation of the case (benefits.anonymise_case locks it
        // too), never in between, so a document sent while the case was being anonymised is not kept afterwards.
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT 1 FROM benefits.feeds WHERE case_id = @CaseId FOR UPDATE", new { feed.CaseId }, tx, cancellationToken: ct));
        // Only forwards: a slower delivery of an older version must not overwrite the record of a newer one.
        var recorded = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE benefits.feeds SET
                delivered_version = @version,
                delivered_at = @now,
                state = CASE WHEN version = @version AND state = 'pending' THEN 'delivered' ELSE state END,
                attempts = CASE WHEN version = @version THEN 0 ELSE attempts END,
                last_error = NULL,
                leased_until = NULL
            WHERE case_id = @caseId AND (delivered_version IS NULL OR delivered_version < @version)
            """, new { feed.CaseId, feed.Version, now }, tx, cancellationToken: ct));
        await FeedStore.KeepSent(feed, digisosId, now, tx, ct);
        if (recorded == 1)
        {
            await outbox.Enqueue(new StatusFeedDelivered(feed.CaseId, digisosId, feed.Version, feed.Events, now), tx, ct);
        }
        else
        {
            await Release(feed.CaseId, tx, ct);
        }
        await tx.CommitAsync(ct);
        LogDelivered(logger, feed.CaseId, feed.Version, feed.Events);
    }

    private async Task Failed(LeasedFeed feed, string error, CancellationToken ct)
    {
        var next = clock.Now() + Backoff(feed.Attempts);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE benefits.feeds SET attempts = attempts + 1, next_attempt_at = @next, last_error = @error, leased_until = NULL
            WHERE case_id = @caseId
            """, new { feed.CaseId, next, error = FeedProjection.Truncate(error, 1000) }, cancellationToken: ct));
        LogFailed(logger, feed.CaseId, feed.Version, feed.Attempts + 1, next, error);
    }

    private async Task WaitForApplicant(LeasedFeed feed, CancellationToken ct)
    {
        var next = clock.Now() + Backoff(feed.Attempts);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE benefits.feeds SET
                state = CASE WHEN state = 'pending' THEN 'waiting-for-applicant' ELSE state END,
                attempts = attempts + 1, next_attempt_at = @next, leased_until = NULL,
                last_error = 'The household has no adult with an identity number yet; the Digisos case cannot be created.'
            WHERE case_id = @caseId
            """, new { feed.CaseId, next }, cancellationToken: ct));
        LogWaitingForApplicant(logger, feed.CaseId, next);
    }

    private async Task Refused(LeasedFeed feed, string detail, CancellationToken ct)
    {
        var now = clock.Now();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Only this version is refused; a newer one (built meanwhile) is still to be tried.
        var refused = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE benefits.feeds SET state = 'refused', attempts = attempts + 1, last_error = @detail, leased_until = NULL
            WHERE case_id = @caseId AND version = @version AND state IN ('pending', 'waiting-for-applicant')
            """, new { feed.CaseId, feed.Version, detail }, tx, cancellationToken: ct));
        if (refused == 1)
        {
            await outbox.Enqueue(new StatusFeedRejected(feed.CaseId, feed.Version, StatusFeedRejections.RefusedByReceiver, detail, now), tx, ct);
            LogRefused(logger, feed.CaseId, feed.Version, detail);
        }
        else
        {
            await Release(feed.CaseId, tx, ct);
        }
        await tx.CommitAsync(ct);
    }

    private static Task<int> Release(Guid caseId, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE benefits.feeds SET leased_until = NULL WHERE case_id = @caseId", new { caseId }, tx, cancellationToken: ct));

    /// <summary>First backoff doubled per failed attempt, capped at MaxBackoffSeconds.</summary>
    internal TimeSpan Backoff(int attemptsSoFar)
    {
        var o = options.Value;
        var max = TimeSpan.FromSeconds(o.MaxBackoffSeconds);
        var delay = TimeSpan.FromMilliseconds(o.FirstBackoffMilliseconds * Math.Pow(2, Math.Min(attemptsSoFar, 30)));
        return delay < max ? delay : max;
    }

    /// <summary>Until woken by a new version, the next feed falls due, or the poll interval passes.</summary>
    private async Task WaitForWork(CancellationToken ct)
    {
        var wait = TimeSpan.FromMilliseconds(options.Value.PollIntervalMilliseconds);
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            var nextDue = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
                """
                SELECT min(GREATEST(next_attempt_at, COALESCE(leased_until, next_attempt_at)))
                FROM benefits.feeds WHERE state IN ('pending', 'waiting-for-applicant')
                """, cancellationToken: ct));
            if (nextDue is { } due)
            {
                var untilDue = due.AsUtc() - clock.GetUtcNow();
                wait = untilDue < TimeSpan.Zero ? TimeSpan.Zero : untilDue < wait ? untilDue : wait;
            }
        }
        // Never a busy loop: a due feed another transaction holds for a moment is looked at again shortly.
        if (wait < MinimumWait)
        {
            wait = MinimumWait;
        }
        await _wake.WaitAsync(wait, ct);
    }

    private async Task Pause(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, clock, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>LISTEN for new versions (NOTIFY on commit by <see cref="FeedProjection"/>); reconnects after failures.</summary>
    private Task ListenForVersions(CancellationToken ct) =>
        CommitListener.Run(dataSource, FeedProjection.Channel, _wake.Set,
            TimeSpan.FromMilliseconds(options.Value.PollIntervalMilliseconds), clock, logger, ct);
}
