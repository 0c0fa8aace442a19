using System.Globalization;
using System.Text.Json;
using Dapper;
using Npgsql;
using Samskaping.Grants.Disbursements;
using Samskaping.Grants.Idempotency;
using Samskaping.Grants.Ledger;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Payments;

/// <summary>An answer from the bank that did not change a payment, and why.</summary>
public sealed record Mismatch(string? EndToEndId, string Problem);

/// <summary>What an imported pain.002 or camt.054 did; every payment it names is in exactly one list.</summary>
/// <param name="AlreadyRecorded">Payments whose outcome was recorded before (the same answer imported again): nothing changed.</param>
/// <param name="Mismatches">What does not match the ledger (unknown EndToEndId, another fund's payment, amount or account mismatch).</param>
public sealed record BankImportReport(
    Guid Id, Guid FundId, string Kind, string MessageId, IReadOnlyList<Guid> Paid, IReadOnlyList<Guid> Failed, IReadOnlyList<Guid> Accepted,
    IReadOnlyList<Guid> AlreadyRecorded, IReadOnlyList<Mismatch> Mismatches, DateTimeOffset ImportedAt);

/// <summary>
/// The bank's answers applied to a fund's payments, in one idempotent transaction: a rejection moves a sent payment to
/// failed (its reservation back to available), a booked debit moves it to paid (reserved → paid), each through the
/// disbursement's conditional transition, so importing the same answer twice changes nothing the second time.
/// </summary>
public sealed class BankImports(IdempotentRequests idempotency, DisbursementStore disbursements, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<Result<BankImportReport>> Import(Guid fundId, BankMessage message, string sha256, string key, CurrentUser user, CancellationToken ct) =>
        idempotency.Run<BankImportReport>(key, user, $"POST /api/grants/funds/{fundId}/bank-answers", new { sha256 }, async (tx, ct) =>
        {
            var connection = tx.Connection!;
            var debtorAccount = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT debtor_account FROM grants.funds WHERE id = @fundId", new { fundId }, tx, cancellationToken: ct));
            var report = new Collector();
            foreach (var answer in await Answers(connection, tx, fundId, message, report, ct))
            {
                await Apply(tx, fundId, debtorAccount, message, answer, report, user, ct);
            }
            var now = clock.Now();
            var result = new BankImportReport(Guid.CreateVersion7(now), fundId, message.Kind, message.MessageId, report.Paid, report.Failed,
                report.Accepted, report.Already, report.Mismatches, now);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO grants.bank_imports (id, fund_id, kind, message_id, sha256, report, imported_by, imported_at)
                VALUES (@Id, @fundId, @Kind, @MessageId, @sha256, @report::jsonb, @by, @now)
                """,
                new { result.Id, fundId, result.Kind, result.MessageId, sha256, report = JsonSerializer.Serialize(result, Json), by = user.Subject, now },
                tx, cancellationToken: ct));
            return Answer.Done(result);
        }, ct);

    /// <summary>The per-payment answers; a whole-file rejection becomes one rejection per payment of the original file.</summary>
    private static async Task<IReadOnlyList<PaymentAnswer>> Answers(
        NpgsqlConnection connection, NpgsqlTransaction tx, Guid fundId, BankMessage message, Collector report, CancellationToken ct)
    {
        if (message.WholeFile is not { } rejection)
        {
            return message.Payments;
        }
        var ids = (await connection.QueryAsync<Guid>(new CommandDefinition(
            """
            SELECT d.id FROM grants.disbursements d JOIN grants.payment_files p ON p.id = d.payment_file_id
            WHERE p.message_id = @messageId AND p.fund_id = @fundId ORDER BY d.id
            """, new { messageId = message.OriginalMessageId, fundId }, tx, cancellationToken: ct))).AsList();
        if (ids.Count == 0)
        {
            report.Mismatch(null, $"The rejected file {message.OriginalMessageId} is not a payment file of this fund.");
        }
        return ids.Select(id => rejection with { EndToEndId = id.ToString("N") }).ToList();
    }

    private async Task Apply(
        NpgsqlTransaction tx, Guid fundId, string? debtorAccount, BankMessage message, PaymentAnswer answer, Collector report, CurrentUser user, CancellationToken ct)
    {
        // Another fund's payment is reported as unknown, like one that does not exist: its managers import it.
        if (!Guid.TryParseExact(answer.EndToEndId, "N", out var id) || await DisbursementStore.Lock(tx, id, ct) is not { } d || d.FundId != fundId)
        {
            report.Mismatch(answer.EndToEndId, "Unknown EndToEndId: no payment of this fund has it.");
            return;
        }
        if (Problem(d, debtorAccount, answer) is { } problem)
        {
            report.Mismatch(answer.EndToEndId, problem);
            return;
        }
        var outcome = (answer.Outcome, d.Status) switch
        {
            (Outcomes.Rejected, DisbursementStatuses.Failed) or (Outcomes.Booked, DisbursementStatuses.Paid) => Outcome.Already,
            (Outcomes.Accepted or Outcomes.Pending, DisbursementStatuses.Sent or DisbursementStatuses.Paid or DisbursementStatuses.Failed) => Outcome.Accepted,
            (Outcomes.Rejected, DisbursementStatuses.Sent) => Outcome.Fail,
            (Outcomes.Booked, DisbursementStatuses.Sent) => Outcome.Pay,
            _ => Outcome.Mismatch,
        };
        switch (outcome)
        {
            case Outcome.Already:
                report.Already.Add(d.Id);
                break;
            case Outcome.Accepted:
                await tx.Connection!.ExecuteAsync(new CommandDefinition(
                    "UPDATE grants.disbursements SET bank_status = @status WHERE id = @id", new { id = d.Id, status = answer.Outcome }, tx, cancellationToken: ct));
                report.Accepted.Add(d.Id);
                break;
            case Outcome.Fail:
                var release = await disbursements.Failed(tx, d, answer.ReasonCode, answer.Reason ?? "Avvist av banken.", user.Subject, ct);
                await DisbursementStore.PostNow(tx, d, release!, ct);
                report.Failed.Add(d.Id);
                break;
            case Outcome.Pay:
                var reference = answer.Reference ?? answer.EndToEndId!;
                var pay = await disbursements.Paid(tx, d, answer.BookedOn!.Value, reference,
                    $"paid by the bank: {message.Kind} {message.MessageId}, booked {answer.BookedOn:yyyy-MM-dd}", user.Subject, ct);
                await DisbursementStore.PostNow(tx, d, pay!, ct);
                report.Paid.Add(d.Id);
                break;
            default:
                report.Mismatch(answer.EndToEndId, $"The bank says {answer.Outcome}, but the payment is {d.Status}.");
                break;
        }
    }

    /// <summary>Why the answer cannot be about this payment as the ledger knows it; null when it can.</summary>
    private static string? Problem(DisbursementRow d, string? debtorAccount, PaymentAnswer answer)
    {
        if (answer.Currency is { } currency && currency != "NOK")
        {
            return $"Currency {currency}: the payment was in NOK.";
        }
        if (answer.Amount is { } amount && amount != d.Amount)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Amount mismatch: the bank says {amount:F2} NOK, the ledger {d.Amount:F2} NOK.");
        }
        if (answer.Account is { } account && debtorAccount is not null && account != BankAccounts.Iban(debtorAccount) && account != debtorAccount)
        {
            return $"Account mismatch: the notification is about {account}, the fund pays from {BankAccounts.Iban(debtorAccount)}.";
        }
        return answer.Outcome == Outcomes.Booked && answer.BookedOn is null ? "A booked debit without a booking date." : null;
    }

    private enum Outcome
    {
        Already,
        Accepted,
        Fail,
        Pay,
        Mismatch,
    }

    private sealed class Collector
    {
        public List<Guid> Paid { get; } = [];

        public List<Guid> Failed { get; } = [];

        public List<Guid> Accepted { get; } = [];

        public List<Guid> Already { get; } = [];

        public List<Mismatch> Mismatches { get; } = [];

        public void Mismatch(string? endToEndId, string problem) => Mismatches.Add(new Mismatch(endToEndId, problem));
    }
}
