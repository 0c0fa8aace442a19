using System.Text.RegularExpressions;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Samskaping.Contracts.Cases;
using Samskaping.Messaging.Inbox;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Access;

/// <summary>The service whose part of an anonymisation this is: its name in <see cref="CaseAnonymisedInService"/>
/// and the schema of its <c>anonymise_case</c> function, which every service names after itself.</summary>
public sealed partial class CaseAnonymisationTarget
{
    public CaseAnonymisationTarget(string service)
    {
        // The name becomes part of the SQL that calls the function: only a plain schema name is accepted.
        if (!SchemaName().IsMatch(service))
        {
            throw new ArgumentException($"'{service}' is not a schema name.", nameof(service));
        }
        Service = service;
    }

    public string Service { get; }

    [GeneratedRegex("^[a-z][a-z_]*$")]
    private static partial Regex SchemaName();
}

/// <summary>
/// Removes what this service holds of a person in the case (<see cref="CaseAnonymisationOrdered"/>), through the
/// service's own audited function <c>&lt;schema&gt;.anonymise_case</c> — the only path the append-only triggers let
/// change rows — and tells cases it has (<see cref="CaseAnonymisedInService"/>, through the outbox in the same
/// transaction). The inbox makes a redelivery a no-op; the function's audit row makes a second order with the same
/// anonymisation id one too (0 rows), and then nothing is counted.
/// </summary>
public sealed class CaseAnonymisationConsumer(
    Inbox inbox, OutboxWriter outbox, CaseAnonymisationTarget target, AnonymisationMetrics metrics, TimeProvider clock)
    : IConsumer<CaseAnonymisationOrdered>
{
    public Task Consume(ConsumeContext<CaseAnonymisationOrdered> context) =>
        inbox.Receive(context, nameof(CaseAnonymisationConsumer), async (tx, ct) =>
        {
            var order = context.Message;
            if (!AnonymisationGrounds.All.Contains(order.Ground))
            {
                throw new InvalidOperationException($"Unknown anonymisation ground '{order.Ground}'.");
            }
            var (rows, first) = await Anonymise(order, tx, ct);
            if (!first)
            {
                return;
            }
            await outbox.Enqueue(
                new CaseAnonymisedInService(order.CaseId, order.AnonymisationId, target.Service, rows, clock.Now()), tx, ct);
            Inbox.AfterCommit(context, () => metrics.Anonymised(order.Ground));
        });

    /// <summary>The rows the function changed, and whether this call wrote the audit row (false: the anonymisation
    /// was done already and the function changed nothing).</summary>
    private async Task<(int Rows, bool First)> Anonymise(CaseAnonymisationOrdered order, NpgsqlTransaction tx, CancellationToken ct)
    {
        var schema = target.Service;
        await using var done = new NpgsqlCommand(
            $"SELECT EXISTS (SELECT 1 FROM {schema}.anonymisations WHERE anonymisation_id = @id)", tx.Connection, tx);
        done.Parameters.AddWithValue("id", order.AnonymisationId);
        var already = (bool)(await done.ExecuteScalarAsync(ct))!;
        await using var call = new NpgsqlCommand(
            $"SELECT {schema}.anonymise_case(@case, @id, @ground, @reason, @orderedBy)", tx.Connection, tx);
        call.Parameters.AddWithValue("case", order.CaseId);
        call.Parameters.AddWithValue("id", order.AnonymisationId);
        call.Parameters.AddWithValue("ground", order.Ground);
        call.Parameters.AddWithValue("reason", order.Reason);
        call.Parameters.AddWithValue("orderedBy", order.OrderedBy);
        var rows = (int)(await call.ExecuteScalarAsync(ct))!;
        return (rows, !already);
    }
}

public static class CaseAnonymisationExtensions
{
    /// <summary>Takes part in every case anonymisation as <paramref name="service"/>, whose database has the function
    /// <c>&lt;service&gt;.anonymise_case</c> and the audit table <c>&lt;service&gt;.anonymisations</c>.</summary>
    public static void AddCaseAnonymisation(this IBusRegistrationConfigurator bus, string service)
    {
        bus.AddSingleton(new CaseAnonymisationTarget(service));
        bus.AddConsumer<CaseAnonymisationConsumer>();
    }
}
