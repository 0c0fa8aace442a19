using System.Globalization;
using System.Text.Json;
using Dapper;
using Samskaping.Messaging.Faults;

namespace Samskaping.Chaos;

/// <summary>The seeded consumer failures of a run, to predict which messages must end in an error queue.</summary>
internal sealed record InjectedFailures(int Seed, double Transient, double Permanent)
{
    public MessageFate Fate(Guid messageId) => MessageFaults.Fate(Seed, messageId, Transient, Permanent);
}

/// <summary>What the databases and the broker say about the messages of a run, counted once.</summary>
internal sealed record MessageCount(
    int Published, int Pending, int Parked, int Deliveries, int Consumed, int Errored, int Transient, int Permanent,
    int Missing, int Duplicated, int UnexpectedErrors, int QueuedOrUnacked, IReadOnlyList<string> Examples)
{
    public bool Settled => Pending == 0 && Parked == 0 && Missing == 0 && Duplicated == 0 && UnexpectedErrors == 0 && QueuedOrUnacked == 0;

    public override string ToString() =>
        FormattableString.Invariant($"{Published} events published ({Pending} pending, {Parked} parked); {Deliveries} consumer deliveries due = {Consumed} consumed + {Errored} in error queues; ") +
        FormattableString.Invariant($"{Missing} missing, {Duplicated} duplicated, {UnexpectedErrors} unexpected in error queues, {QueuedOrUnacked} still queued") +
        (Transient + Permanent > 0 ? FormattableString.Invariant($"; injected: {Transient} transient, {Permanent} permanent") : "") +
        (Examples.Count > 0 ? $"; e.g. {string.Join("; ", Examples)}" : "");
}

internal static class Invariants
{
    /// <summary>
    /// Every event in every service's outbox, against every receive endpoint bound to its type (one per service):
    /// one inbox transaction in the consumer's database (all its consumers' rows with the same xmin), or (for a
    /// message failed on purpose for good) one message per endpoint in its error queue — never both, never two,
    /// never none.
    /// </summary>
    public static async Task<MessageCount> Count(ScenarioRun run, InjectedFailures? failures = null)
    {
        var outbox = new List<(Guid Id, string Exchange, bool Published, bool Parked, JsonElement Body)>();
        var inbox = new Dictionary<string, Dictionary<Guid, int>>();
        foreach (var (service, database) in run.Databases)
        {
            await using var connection = run.Infrastructure.Connect(database);
            foreach (var row in await connection.QueryAsync<(Guid Id, string Type, DateTime? PublishedAt, DateTime? ParkedAt, string Body)>(
                "SELECT id, message_type, published_at, parked_at, body::text FROM messaging.outbox"))
            {
                outbox.Add((row.Id, Exchange(row.Type), row.PublishedAt is not null, row.ParkedAt is not null, JsonDocument.Parse(row.Body).RootElement));
            }
            // A service's consumers of a message record their inbox rows in the delivery's one transaction (one
            // receive endpoint per service), so a message is consumed there once when it has rows, however many
            // consumers it has; the primary key (message, consumer) rules out a second row per consumer.
            inbox[service] = (await connection.QueryAsync<(Guid Id, int Count)>(
                "SELECT message_id, count(DISTINCT xmin::text)::int FROM messaging.inbox GROUP BY message_id")).ToDictionary(r => r.Id, r => r.Count);
        }

        var queues = await run.Broker.Queues(run.Vhost);
        var endpoints = new List<(string Service, IReadOnlySet<string> Types)>();
        var errors = new Dictionary<Guid, int>();
        var unexpected = 0;
        var examples = new List<string>();
        foreach (var queue in queues)
        {
            if (queue.Name.EndsWith("_error", StringComparison.Ordinal))
            {
                foreach (var letter in await run.Broker.Peek(run.Vhost, queue.Name, Math.Max(queue.Messages, 1) + 50))
                {
                    if (letter.MessageId is { } id)
                    {
                        errors[id] = errors.GetValueOrDefault(id) + 1;
                    }
                    if (letter.FaultExceptionType != typeof(InjectedFaultException).FullName)
                    {
                        unexpected++;
                        if (examples.Count < 3)
                        {
                            examples.Add($"{queue.Name}: {letter.FaultExceptionType} {letter.FaultMessage}");
                        }
                    }
                }
                continue;
            }
            var service = queue.Name.Split('-')[0];
            if (run.Databases.ContainsKey(service))
            {
                endpoints.Add((service, await run.Broker.ConsumedTypes(run.Vhost, queue.Name)));
            }
        }
        var queued = queues.Where(q => !q.Name.EndsWith("_error", StringComparison.Ordinal)).Sum(q => q.Messages + q.Unacknowledged);

        int deliveries = 0, consumed = 0, errored = 0, missing = 0, duplicated = 0, transient = 0, permanent = 0;
        foreach (var message in outbox)
        {
            var fate = failures?.Fate(message.Id) ?? MessageFate.Unharmed;
            var due = endpoints.Where(e => e.Types.Contains(message.Exchange) && !DroppedUnrecorded(e.Service, message.Exchange, message.Body)).GroupBy(e => e.Service).ToDictionary(g => g.Key, g => g.Count());
            if (due.Count > 0)
            {
                transient += fate == MessageFate.Transient ? 1 : 0;
                permanent += fate == MessageFate.Permanent ? 1 : 0;
            }
            var inErrorQueues = errors.GetValueOrDefault(message.Id);
            errored += inErrorQueues;
            foreach (var (service, endpointCount) in due)
            {
                deliveries += endpointCount;
                var rows = inbox[service].GetValueOrDefault(message.Id);
                consumed += rows;
                var expected = fate == MessageFate.Permanent ? 0 : endpointCount;
                if (rows < expected)
                {
                    missing += expected - rows;
                    Example(examples, $"{message.Exchange} {message.Id}: {rows} of {expected} inbox rows in {service}");
                }
                else if (rows > expected)
                {
                    duplicated += rows - expected;
                    Example(examples, $"{message.Exchange} {message.Id}: {rows} inbox rows in {service}, {expected} expected");
                }
            }
            var expectedErrors = fate == MessageFate.Permanent ? due.Values.Sum() : 0;
            if (inErrorQueues > expectedErrors)
            {
                unexpected += inErrorQueues - expectedErrors;
                Example(examples, $"{message.Exchange} {message.Id}: {inErrorQueues} in error queues, {expectedErrors} expected");
            }
            else if (inErrorQueues < expectedErrors)
            {
                missing += expectedErrors - inErrorQueues;
                Example(examples, $"{message.Exchange} {message.Id}: {inErrorQueues} of {expectedErrors} in error queues");
            }
        }
        return new MessageCount(outbox.Count, outbox.Count(m => !m.Published && !m.Parked), outbox.Count(m => m.Parked),
            deliveries, consumed, errored, transient, permanent, missing, duplicated, unexpected, queued, examples);
    }

    /// <summary>Waits for the outboxes to drain and every delivery to be settled, then records the counts as a check.</summary>
    public static async Task<MessageCount> Settle(ScenarioRun run, TimeSpan timeout, InjectedFailures? failures = null)
    {
        MessageCount? last = null;
        var (held, took) = await Wait.Until(async () =>
        {
            last = await Count(run, failures);
            return last.Settled;
        }, timeout, TimeSpan.FromSeconds(1));
        last ??= await Count(run, failures);
        run.Check("every event consumed exactly once (one inbox transaction per consuming service; error queues)", held && last.Settled,
            $"{last} (settled after {took.TotalSeconds:0.0} s)");
        return last;
    }

    /// <summary>Every accepted (2xx) request's effect is in the grants database exactly once.</summary>
    public static async Task AcceptedWritesKept(ScenarioRun run, Workload load)
    {
        await using var grants = run.Infrastructure.Connect(run.Databases["grants"]);
        var grantIds = load.AcceptedGrants.Keys.ToArray();
        var approvals = load.AcceptedApprovals.Keys.ToArray();
        var total = await grants.ExecuteScalarAsync<int>("SELECT count(*)::int FROM grants.grants");
        var found = await grants.ExecuteScalarAsync<int>("SELECT count(*)::int FROM grants.grants WHERE id = ANY(@grantIds)", new { grantIds });
        var perApproval = (await grants.QueryAsync<(Guid Id, string Status, int Disbursements, int Reservations)>("""
            SELECT g.id, g.status,
                   (SELECT count(*)::int FROM grants.disbursements d WHERE d.grant_id = g.id),
                   (SELECT count(*)::int FROM grants.ledger_transactions t WHERE t.grant_id = g.id AND t.kind = 'reserve')
            FROM grants.grants g WHERE g.id = ANY(@approvals)
            """, new { approvals })).ToList();
        var wrong = perApproval.Count(a => a.Status != "approved" || a.Disbursements != 1 || a.Reservations != 1) + (approvals.Length - perApproval.Count);
        var approvedTotal = await grants.ExecuteScalarAsync<int>("SELECT count(*)::int FROM grants.grants WHERE status = 'approved'");
        var disbursements = await grants.ExecuteScalarAsync<int>("SELECT count(*)::int FROM grants.disbursements");
        var reservations = await grants.ExecuteScalarAsync<int>("SELECT count(*)::int FROM grants.ledger_transactions WHERE kind = 'reserve'");
        run.Check("every accepted grant request has exactly one grant row, and no unaccepted one exists",
            found == grantIds.Length && total == grantIds.Length,
            $"{grantIds.Length} accepted, {found} of them found, {total} grant rows in all");
        run.Check("every accepted approval has exactly one disbursement and one reservation in the ledger",
            wrong == 0 && approvedTotal == approvals.Length && disbursements == approvals.Length && reservations == approvals.Length,
            $"{approvals.Length} accepted approvals; {approvedTotal} approved grants, {disbursements} disbursements, {reservations} reservations; {wrong} wrong");

        await using var cases = run.Infrastructure.Connect(run.Databases["cases"]);
        var caseIds = load.AcceptedCases.Keys.ToArray();
        var casesFound = await cases.ExecuteScalarAsync<int>("SELECT count(*)::int FROM cases.cases WHERE id = ANY(@caseIds)", new { caseIds });
        run.Check("every accepted case is in the cases database", casesFound == caseIds.Length, $"{caseIds.Length} accepted, {casesFound} found");
    }

    /// <summary>
    /// Every coordination and outcomes write a client got a 2xx for is in that service's database exactly once, and
    /// no row exists beyond those but for requests that got no verdict (sent without an Idempotency-Key, they may
    /// have taken effect before the fault cut the answer off).
    /// </summary>
    public static async Task CaseWorkKept(ScenarioRun run, Workload load)
    {
        await using (var coordination = run.Infrastructure.Connect(run.Databases["coordination"]))
        {
            // The workload writes meetings only; an agreed measure writes its own measure-started entry.
            await Kept(run, coordination, "relay-log entry", "coordination.relay_log", "type = 'meeting'", load.RelayEntries);
            await Kept(run, coordination, "measure", "coordination.measures", "true", load.Measures);
        }
        await using var outcomes = run.Infrastructure.Connect(run.Databases["outcomes"]);
        await Kept(run, outcomes, "outcome response", "outcomes.responses", "true", load.Responses);
    }

    private static async Task Kept(ScenarioRun run, Npgsql.NpgsqlConnection db, string what, string table, string filter, Writes writes)
    {
        var ids = writes.Accepted.Keys.ToArray();
        var found = await db.ExecuteScalarAsync<int>($"SELECT count(*)::int FROM {table} WHERE id = ANY(@ids)", new { ids });
        var total = await db.ExecuteScalarAsync<int>($"SELECT count(*)::int FROM {table} WHERE {filter}");
        var unsettled = Volatile.Read(ref writes.Unsettled);
        run.Check($"every accepted {what} is found exactly once, and no other but from a request without a verdict",
            ids.Length > 0 && found == ids.Length && total >= ids.Length && total - ids.Length <= unsettled,
            $"{ids.Length} accepted, {found} of them found, {total} rows in all, {unsettled} requests without a verdict");
    }

    /// <summary>The timeline shows each grants event once (the cases service's consumer effect), none twice, none lost.</summary>
    public static async Task TimelineOnce(ScenarioRun run, InjectedFailures? failures = null)
    {
        await using var grants = run.Infrastructure.Connect(run.Databases["grants"]);
        var events = (await grants.QueryAsync<Guid>(
            "SELECT id FROM messaging.outbox WHERE message_type IN ('Samskaping.Contracts.Grants.GrantRequested', 'Samskaping.Contracts.Grants.GrantApproved')"))
            .Where(id => failures?.Fate(id) != MessageFate.Permanent).ToArray();
        await using var cases = run.Infrastructure.Connect(run.Databases["cases"]);
        var rows = await cases.ExecuteScalarAsync<int>("SELECT count(*)::int FROM cases.timeline WHERE event_id = ANY(@events)", new { events });
        var grantRows = await cases.ExecuteScalarAsync<int>("SELECT count(*)::int FROM cases.timeline WHERE source = 'grants'");
        run.Check("the cases timeline holds each grant event once", rows == events.Length,
            $"{events.Length} GrantRequested/GrantApproved events to show, {rows} timeline entries for them ({grantRows} from grants in all)");
    }

    /// <summary>
    /// Whether every consumer of the message in <paramref name="service"/> drops it before its inbox (a filter in
    /// front of <c>Inbox.Receive</c>, so no row records it): no inbox transaction is due there then. Mirrors those
    /// filters; a message a filter lets through is counted like any other.
    /// </summary>
    private static bool DroppedUnrecorded(string service, string exchange, JsonElement body) => exchange switch
    {
        // Grants and coordination record only a move out of closed (a closing comes as CaseClosed); outcomes also a
        // move to active, which schedules the case's measurements.
        "Samskaping.Contracts.Cases:CaseStatusChanged" => service switch
        {
            "grants" or "coordination" => body.GetProperty("from").GetString() != "closed",
            "outcomes" => body.GetProperty("from").GetString() != "closed" && body.GetProperty("to").GetString() != "active",
            _ => false,
        },
        _ => false,
    };

    /// <summary>"Namespace.Type, Assembly" (the outbox) → "Namespace:Type" (MassTransit's exchange for the type).</summary>
    private static string Exchange(string fullName)
    {
        var dot = fullName.LastIndexOf('.');
        return dot < 0 ? fullName : $"{fullName[..dot]}:{fullName[(dot + 1)..]}";
    }

    private static void Example(List<string> examples, string text)
    {
        if (examples.Count < 3)
        {
            examples.Add(text);
        }
    }
}
