using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Access;
using Samskaping.Contracts.Grants;
using Samskaping.Grants.Idempotency;
using Samskaping.Grants.Requests;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Payments;

/// <summary>The configuration of payment files (<c>Grants:Payments</c>).</summary>
public sealed class PaymentOptions
{
    public const string Section = "Grants:Payments";

    /// <summary>The municipality, as the bank and the families see the payer (initiating party and debtor name).</summary>
    [Required, MinLength(1), MaxLength(Pain001.MaxTextLength)]
    public string DebtorName { get; set; } = "Kommunen";
}

/// <param name="RequestedExecutionDate">The day the bank pays (default today); every planned payment due by then goes in the file.</param>
public sealed record ProducePaymentFile(DateOnly? RequestedExecutionDate)
{
    /// <summary>A file is for the payments of the coming days; later ones wait for a later file.</summary>
    public const int MaxDaysAhead = 14;

    public DateOnly Validate(ValidationErrors errors, DateOnly today)
    {
        var date = RequestedExecutionDate ?? today;
        if (date < today || date > today.AddDays(MaxDaysAhead))
        {
            errors.Add("requestedExecutionDate", $"From today ({today:yyyy-MM-dd}) to {MaxDaysAhead} days ahead.");
        }
        return date;
    }
}

public sealed record DebtorAccountBody([property: MaxLength(NorwegianNumbers.MaxTextLength)] string? AccountNumber);

public sealed record DebtorAccountView(Guid FundId, string? AccountNumber, string? Iban);

public sealed record PaymentFileView(
    Guid Id, Guid FundId, string MessageId, DateOnly RequestedExecutionDate, int NumberOfPayments, decimal Total,
    IReadOnlyList<Guid> DisbursementIds, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>
/// A fund's payment files. Producing one is an idempotent request (<see cref="IdempotentRequests"/>) that locks the
/// fund's due planned disbursements (<c>FOR UPDATE</c>: a concurrent producer waits, then finds them sent and leaves
/// them out), writes the pain.001 document, and moves them to sent — so the same payment is never in two files.
/// </summary>
public sealed class PaymentFiles(IdempotentRequests idempotency, OutboxWriter outbox, AccessLog accessLog, IOptions<PaymentOptions> options, TimeProvider clock)
{
    private const string ViewColumns = """
        p.id AS Id, p.fund_id AS FundId, p.message_id AS MessageId, p.requested_execution_date AS RequestedExecutionDate,
        p.number_of_payments AS NumberOfPayments, p.total AS Total,
        ARRAY(SELECT d.id FROM grants.disbursements d WHERE d.payment_file_id = p.id ORDER BY d.id) AS DisbursementIds,
        p.created_by AS CreatedBy, p.created_at AS CreatedAt
        """;

    public static Refusal NotFound(Guid fileId) => Refusal.NotFound("Payment file not found.", $"The fund has no payment file {fileId}.");

    public Task<Result<PaymentFileView>> Produce(Guid fundId, DateOnly executionDate, string key, ProducePaymentFile body, CurrentUser user, CancellationToken ct) =>
        idempotency.Run<PaymentFileView>(key, user, $"POST /api/grants/funds/{fundId}/payment-files", body, async (tx, ct) =>
        {
            var connection = tx.Connection!;
            var fund = await connection.QuerySingleAsync<(string Name, string? Account)>(new CommandDefinition(
                "SELECT name, debtor_account FROM grants.funds WHERE id = @fundId", new { fundId }, tx, cancellationToken: ct));
            if (fund.Account is null)
            {
                return Refusal.Conflict("The fund has no debtor account.",
                    $"Record the account the fund pays from first: PUT /api/grants/funds/{fundId}/debtor-account.");
            }
            var due = (await connection.QueryAsync<DueRow>(new CommandDefinition(
                """
                SELECT d.id AS Id, d.case_id AS CaseId, d.amount AS Amount, d.number AS Number,
                       (SELECT count(*) FROM grants.disbursements i WHERE i.grant_id = d.grant_id)::int AS Instalments,
                       g.payee_name AS PayeeName, g.account_number AS AccountNumber
                FROM grants.disbursements d JOIN grants.grants g ON g.id = d.grant_id
                WHERE d.fund_id = @fundId AND d.status = 'planned' AND d.due_on <= @executionDate
                ORDER BY d.id FOR UPDATE OF d
                """, new { fundId, executionDate = executionDate.ToDateTime(TimeOnly.MinValue) }, tx, cancellationToken: ct))).AsList();
            if (due.Count == 0)
            {
                return Refusal.Conflict("No payments are due.",
                    $"The fund has no planned payment due by {executionDate:yyyy-MM-dd} that is not already in a payment file.");
            }

            var now = clock.Now();
            var id = Guid.CreateVersion7(now);
            var messageId = id.ToString("N");
            var debtor = new Debtor(options.Value.DebtorName, fund.Account);
            var transfers = due.Select(d => new CreditTransfer(d.Id.ToString("N"), d.Amount, d.PayeeName, d.AccountNumber,
                $"{debtor.Name}: tilskudd fra {fund.Name}, utbetaling {d.Number} av {d.Instalments}")).ToList();
            var document = Pain001.Write(messageId, now, executionDate, debtor, transfers);
            // The file goes to the bank as written: one that breaks the schema is a fault here, never sent.
            if (Iso20022.Validate(document, Iso20022.Pain001) is [var first, ..])
            {
                throw new InvalidOperationException($"The pain.001 written for fund {fundId} breaks its schema: {first}");
            }
            var total = due.Sum(d => d.Amount);
            var ids = due.Select(d => d.Id).ToArray();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO grants.payment_files (id, fund_id, message_id, requested_execution_date, debtor_account, number_of_payments, total, document, created_by, created_at)
                VALUES (@id, @fundId, @messageId, @executionDate, @account, @count, @total, @document, @by, @now)
                """,
                new
                {
                    id, fundId, messageId, executionDate = executionDate.ToDateTime(TimeOnly.MinValue), account = fund.Account, count = due.Count, total,
                    document = document.Declaration + Environment.NewLine + document.ToString(), by = user.Subject, now,
                }, tx, cancellationToken: ct));
            var sent = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE grants.disbursements SET status = 'sent', payment_file_id = @id, changed_by = @by, changed_at = @now
                WHERE id = ANY (@ids) AND status = 'planned'
                """, new { id, ids, by = user.Subject, now }, tx, cancellationToken: ct));
            if (sent != ids.Length)
            {
                throw new InvalidOperationException($"Payment file {id}: {ids.Length} disbursements locked as planned, {sent} moved to sent.");
            }
            await outbox.Enqueue(new PaymentFileProduced(fundId, id, messageId, due.Count, total, executionDate, ids, user.Subject, now), tx, ct);
            return Answer.Done(new PaymentFileView(id, fundId, messageId, executionDate, due.Count, total, ids, user.Subject, now),
                $"/api/grants/funds/{fundId}/payment-files/{id}");
        }, ct);

    public static async Task<IReadOnlyList<PaymentFileView>> List(NpgsqlConnection connection, Guid fundId, CancellationToken ct) =>
        (await connection.QueryAsync<FileRow>(new CommandDefinition(
            $"SELECT {ViewColumns} FROM grants.payment_files p WHERE p.fund_id = @fundId ORDER BY p.created_at DESC",
            new { fundId }, cancellationToken: ct)))
        .Select(f => new PaymentFileView(f.Id, f.FundId, f.MessageId, f.RequestedExecutionDate, f.NumberOfPayments, f.Total,
            f.DisbursementIds, f.CreatedBy, new DateTimeOffset(f.CreatedAt, TimeSpan.Zero)))
        .ToList();

    /// <summary>The pain.001 as produced; the payees' names and accounts are a person's data, so each case in it is access-logged.</summary>
    public async Task<string?> Document(NpgsqlConnection connection, Guid fundId, Guid fileId, CurrentUser user, CancellationToken ct)
    {
        var document = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT document FROM grants.payment_files WHERE id = @fileId AND fund_id = @fundId", new { fundId, fileId }, cancellationToken: ct));
        if (document is not null)
        {
            var cases = await connection.QueryAsync<Guid>(new CommandDefinition(
                "SELECT DISTINCT case_id FROM grants.disbursements WHERE payment_file_id = @fileId", new { fileId }, cancellationToken: ct));
            await accessLog.WriteMany(user, cases.Select(AccessSubject.Case), AccessActions.Read, $"payment file {fileId}", connection, ct);
        }
        return document;
    }

    public static async Task<DebtorAccountView> DebtorAccount(NpgsqlConnection connection, Guid fundId, CancellationToken ct)
    {
        var account = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT debtor_account FROM grants.funds WHERE id = @fundId", new { fundId }, cancellationToken: ct));
        return new DebtorAccountView(fundId, account, account is null ? null : BankAccounts.Iban(account));
    }

    public static async Task<DebtorAccountView> SetDebtorAccount(NpgsqlConnection connection, Guid fundId, string account, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE grants.funds SET debtor_account = @account WHERE id = @fundId", new { fundId, account }, cancellationToken: ct));
        return new DebtorAccountView(fundId, account, BankAccounts.Iban(account));
    }

    /// <summary>
    /// A row as Npgsql reads it, set by property: Npgsql types an array column as <see cref="Array"/> and a timestamptz
    /// as <see cref="DateTime"/> (UTC), which Dapper's constructor matching would refuse for a positional record.
    /// </summary>
    private sealed class FileRow
    {
        public Guid Id { get; init; }
        public Guid FundId { get; init; }
        public string MessageId { get; init; } = "";
        public DateOnly RequestedExecutionDate { get; init; }
        public int NumberOfPayments { get; init; }
        public decimal Total { get; init; }
        public Guid[] DisbursementIds { get; init; } = [];
        public string CreatedBy { get; init; } = "";
        public DateTime CreatedAt { get; init; }
    }

    private sealed record DueRow(Guid Id, Guid CaseId, decimal Amount, int Number, int Instalments, string PayeeName, string AccountNumber);
}
