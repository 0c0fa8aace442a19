using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Samskaping.Grants.Funds;
using Samskaping.Grants.Idempotency;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Payments;

/// <summary>Payments through the bank: a fund's debtor account, its pain.001 files, and the bank's answers.</summary>
public static class PaymentsApi
{
    /// <summary>The largest file from the bank read (a camt.054 of a busy day is a few hundred kilobytes).</summary>
    public const int MaxFileBytes = 10 * 1024 * 1024;

    public static void MapPaymentEndpoints(this IEndpointRouteBuilder app)
    {
        // A fund's money out: only its managers, as for top-ups and its ledger (403 for other staff, 404 for no fund).
        var fund = app.MapApiGroup("/api/grants/funds/{fundId:guid}", "Payments")
            .RequireAuthorization(GrantPolicies.FundManager)
            .AddEndpointFilter(FundsApi.OnlyItsManagers)
            .ProducesProblem(StatusCodes.Status404NotFound);

        fund.MapGet("/debtor-account", GetDebtorAccount)
            .WithName("GetFundDebtorAccount")
            .WithSummary("The account the fund's payments leave from");

        fund.MapPut("/debtor-account", SetDebtorAccount)
            .WithName("SetFundDebtorAccount")
            .WithSummary("Record the account the fund's payments leave from")
            .WithDescription("A Norwegian account number (11 digits, mod-11); otherwise 422 naming accountNumber. Payment files use it as the debtor account.")
            .ProducesInvalid();

        fund.MapPost("/payment-files", ProduceFile)
            .WithName("ProducePaymentFile")
            .WithSummary("Collect the fund's due payments into one ISO 20022 pain.001.001.09 file")
            .WithDescription("Every planned disbursement of the fund due by requestedExecutionDate (default today, at most " +
                $"{ProducePaymentFile.MaxDaysAhead} days ahead) goes in the file, once: it moves to sent, and a later file never includes it. " +
                "One EndToEndId per disbursement (its id). 409 when the fund has no debtor account or nothing is due. Needs an Idempotency-Key.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        fund.MapGet("/payment-files", ListFiles)
            .WithName("ListPaymentFiles")
            .WithSummary("The fund's payment files, newest first");

        fund.MapGet("/payment-files/{fileId:guid}", DownloadFile)
            .WithName("DownloadPaymentFile")
            .WithSummary("The pain.001 XML as produced, to send to the bank")
            .WithDescription("The payees' names and accounts are personal data: every case in the file is access-logged.")
            .Produces<string>(StatusCodes.Status200OK, "application/xml");

        fund.MapPost("/bank-answers", ImportAnswer)
            .WithName("ImportBankAnswer")
            .WithSummary("Import the bank's pain.002.001.10 (status report) or camt.054.001.08 (debit notification)")
            .WithDescription("The XML file as the body. pain.002 RJCT moves a sent payment to failed (reservation released once); a booked debit " +
                "in camt.054 moves it to paid on its booking date (reserved → paid once). Importing the same file again changes nothing. " +
                "The report lists what did not match (unknown EndToEndId, amount or account mismatch). A file that is not well-formed, " +
                "not one of the two messages, or breaks the official schema is 422 naming what is wrong. Needs an Idempotency-Key.")
            .Accepts<string>("application/xml", "text/xml")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // The file is read as raw bytes, so the document states the byte limit the handler enforces (413 above it).
                foreach (var media in operation.RequestBody?.Content?.Values ?? [])
                {
                    media.Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = MaxFileBytes, Description = "The XML file, at most 10 MB." };
                }
                return Task.CompletedTask;
            })
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    public static async Task<Ok<DebtorAccountView>> GetDebtorAccount(Guid fundId, DbSession session, CancellationToken ct) =>
        TypedResults.Ok(await PaymentFiles.DebtorAccount(await session.Connection(ct), fundId, ct));

    public static async Task<Results<Ok<DebtorAccountView>, ProblemHttpResult>> SetDebtorAccount(
        Guid fundId, DebtorAccountBody body, DbSession session, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var account = BankAccounts.Validate(errors, "accountNumber", body.AccountNumber);
        return errors.IsValid
            ? TypedResults.Ok(await PaymentFiles.SetDebtorAccount(await session.Connection(ct), fundId, account, ct))
            : Refusal.Invalid("The debtor account is not acceptable as sent.", errors).ToProblem();
    }

    public static async Task<Results<Created<PaymentFileView>, ProblemHttpResult>> ProduceFile(
        Guid fundId, ProducePaymentFile? body,
        [FromHeader(Name = IdempotentRequests.Header), Required, Description(IdempotentRequests.HeaderDescription), MaxLength(IdempotentRequests.MaxKeyLength)] string? idempotencyKey,
        CurrentUser user, PaymentFiles files, TimeProvider clock, CancellationToken ct)
    {
        if (IdempotentRequests.CheckKey(idempotencyKey) is { } keyRefusal)
        {
            return keyRefusal.ToProblem();
        }
        body ??= new ProducePaymentFile(null);
        var errors = new ValidationErrors();
        var date = body.Validate(errors, DateOnly.FromDateTime(clock.Now().UtcDateTime));
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The payment file request is not acceptable as sent.", errors).ToProblem();
        }
        var produced = await files.Produce(fundId, date, idempotencyKey!, body, user, ct);
        return produced.Refusal is { } refusal
            ? refusal.ToProblem()
            : TypedResults.Created($"/api/grants/funds/{fundId}/payment-files/{produced.Value!.Id}", produced.Value);
    }

    public static async Task<Ok<IReadOnlyList<PaymentFileView>>> ListFiles(Guid fundId, DbSession session, CancellationToken ct) =>
        TypedResults.Ok(await PaymentFiles.List(await session.Connection(ct), fundId, ct));

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> DownloadFile(
        Guid fundId, Guid fileId, CurrentUser user, PaymentFiles files, DbSession session, CancellationToken ct) =>
        await files.Document(await session.Connection(ct), fundId, fileId, user, ct) is { } document
            ? TypedResults.Text(document, "application/xml")
            : PaymentFiles.NotFound(fileId).ToProblem();

    public static async Task<Results<Ok<BankImportReport>, ProblemHttpResult>> ImportAnswer(
        Guid fundId, HttpRequest request,
        [FromHeader(Name = IdempotentRequests.Header), Required, Description(IdempotentRequests.HeaderDescription), MaxLength(IdempotentRequests.MaxKeyLength)] string? idempotencyKey,
        CurrentUser user, BankImports imports, CancellationToken ct)
    {
        if (IdempotentRequests.CheckKey(idempotencyKey) is { } keyRefusal)
        {
            return keyRefusal.ToProblem();
        }
        var content = await ReadBody(request, ct);
        if (content is null)
        {
            return new Refusal(StatusCodes.Status413PayloadTooLarge, "The file from the bank is too large.",
                $"At most {MaxFileBytes / 1024 / 1024} MB.").ToProblem();
        }
        var (document, problem) = Iso20022.Read(content);
        if (document is null)
        {
            return BadFile(problem!);
        }
        var ns = document.Root!.Name.NamespaceName;
        if (ns is not (Iso20022.Pain002 or Iso20022.Camt054))
        {
            return BadFile($"Not a pain.002.001.10 or camt.054.001.08 document: the root is {{{ns}}}{document.Root.Name.LocalName}.");
        }
        if (Iso20022.Validate(document, ns) is { Count: > 0 } errors)
        {
            return BadFile($"Breaks the {Iso20022.NameOf(ns)} schema: {string.Join("; ", errors)}");
        }
        var imported = await imports.Import(fundId, BankAnswers.Read(document), Convert.ToHexString(SHA256.HashData(content)), idempotencyKey!, user, ct);
        return imported.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(imported.Value);
    }

    private static ProblemHttpResult BadFile(string why) =>
        Refusal.Unprocessable("The file from the bank is not acceptable.", "file", why).ToProblem();

    /// <summary>The body, or null when it is larger than <see cref="MaxFileBytes"/>.</summary>
    private static async Task<byte[]?> ReadBody(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxFileBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
