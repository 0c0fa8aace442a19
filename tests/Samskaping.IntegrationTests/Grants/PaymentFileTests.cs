using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Samskaping.Grants.Payments;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Grants;

/// <summary>Bank payments: due payments into pain.001 files, and the bank's pain.002 and camt.054 answers, against the ledger.</summary>
[Collection(GrantsCollection.Name)]
public sealed class PaymentFileTests(GrantsFixture grants)
{
    /// <summary>A valid mod-11 account the fund pays from.</summary>
    private const string DebtorAccount = "86011117947";

    private static readonly XNamespace Pain = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";

    [Fact]
    public async Task A_file_holds_each_due_payment_once_valid_against_the_official_schema_with_the_ledgers_amounts_and_accounts()
    {
        var (fund, approver) = await FundWithDebtorAccount();
        var due = await DuePayments(fund, 250m, 1_200.50m);
        var later = (await ApprovedGrant(fund, 99m, dueOn: DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30)))[0];
        var key = Guid.NewGuid().ToString();

        var produced = await GrantsFixture.Post(approver, $"/api/grants/funds/{fund}/payment-files", new { }, key);

        produced.StatusCode.ShouldBe(HttpStatusCode.Created, await produced.Content.ReadAsStringAsync());
        var file = await produced.Content.ReadFromJsonAsync<JsonElement>();
        file.GetProperty("disbursementIds").EnumerateArray().Select(e => e.GetGuid()).Order().ShouldBe(due.Order());
        file.GetProperty("total").GetDecimal().ShouldBe(1_450.50m);
        var xml = await Download(approver, fund, file.GetProperty("id").GetGuid());
        Iso20022.Validate(xml, Iso20022.Pain001).ShouldBeEmpty();
        var transfers = xml.Descendants(Pain + "CdtTrfTxInf").ToList();
        transfers.Count.ShouldBe(2);
        xml.Descendants(Pain + "GrpHdr").Single().Element(Pain + "NbOfTxs")!.Value.ShouldBe("2");
        xml.Descendants(Pain + "GrpHdr").Single().Element(Pain + "CtrlSum")!.Value.ShouldBe("1450.50");
        xml.Descendants(Pain + "DbtrAcct").Single().Descendants(Pain + "IBAN").Single().Value.ShouldBe(BankAccounts.Iban(DebtorAccount));
        foreach (var transfer in transfers)
        {
            var id = Guid.ParseExact(transfer.Descendants(Pain + "EndToEndId").Single().Value, "N");
            var amount = decimal.Parse(transfer.Descendants(Pain + "InstdAmt").Single().Value, System.Globalization.CultureInfo.InvariantCulture);
            (await grants.Database.Scalar<decimal>("SELECT amount FROM grants.disbursements WHERE id = @d", ("d", id))).ShouldBe(amount);
            transfer.Descendants(Pain + "CdtrAcct").Single().Descendants(Pain + "IBAN").Single().Value.ShouldBe(BankAccounts.Iban(GrantsFixture.FamilyAccount));
            transfer.Descendants(Pain + "Ustrd").Single().Value.ShouldContain("utbetaling 1 av 1");
        }
        BankAccounts.Iban(DebtorAccount).ShouldBe("NO9386011117947", "the IBAN of a Norwegian account (mod 97)");
        (await Statuses(due)).ShouldAllBe(s => s == "sent");
        (await Statuses([later])).ShouldBe(["planned"], "not yet due, so not in the file");
        (await grants.Balances(fund)).Reserved.ShouldBe(1_549.50m, "sent money stays reserved until the bank answers");
        (await grants.Events("PaymentFileProduced", "paymentFileId", file.GetProperty("id").GetGuid())).ShouldBe(1);

        // The same request again is the same file; another request finds nothing due and makes no second file.
        var replay = await GrantsFixture.Post(approver, $"/api/grants/funds/{fund}/payment-files", new { }, key);
        (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid().ShouldBe(file.GetProperty("id").GetGuid());
        var second = await GrantsFixture.Post(approver, $"/api/grants/funds/{fund}/payment-files", new { });
        second.StatusCode.ShouldBe(HttpStatusCode.Conflict, await second.Content.ReadAsStringAsync());
        (await grants.Database.Scalar<long>("SELECT count(*) FROM grants.payment_files WHERE fund_id = @f", ("f", fund))).ShouldBe(1);
        var listed = (await approver.GetFromJsonAsync<JsonElement>($"/api/grants/funds/{fund}/payment-files")).EnumerateArray().ShouldHaveSingleItem();
        listed.GetProperty("id").GetGuid().ShouldBe(file.GetProperty("id").GetGuid());
        listed.GetProperty("numberOfPayments").GetInt32().ShouldBe(2);
        listed.GetProperty("createdAt").GetDateTimeOffset().ShouldBe(file.GetProperty("createdAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Two_exports_racing_put_each_payment_in_one_file_and_a_fund_s_file_never_holds_another_fund_s_money()
    {
        var (fund, approver) = await FundWithDebtorAccount();
        var (other, _) = await FundWithDebtorAccount();
        var mine = await DuePayments(fund, 100m, 200m, 300m);
        var theirs = await DuePayments(other, 400m);

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => GrantsFixture.Post(approver, $"/api/grants/funds/{fund}/payment-files", new { })));

        answers.Count(a => a.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.Conflict).ShouldBe(3);
        var file = await answers.Single(a => a.StatusCode == HttpStatusCode.Created).Content.ReadFromJsonAsync<JsonElement>();
        var xml = (await Download(approver, fund, file.GetProperty("id").GetGuid())).ToString();
        foreach (var id in mine)
        {
            xml.ShouldContain(id.ToString("N"));
        }
        xml.ShouldNotContain(theirs[0].ToString("N"));
        xml.ShouldNotContain("400.00");
        (await Statuses(theirs)).ShouldBe(["planned"]);
        (await grants.Database.Scalar<long>("SELECT count(*) FROM grants.disbursements WHERE payment_file_id IS NOT NULL AND fund_id <> @f AND payment_file_id IN (SELECT id FROM grants.payment_files WHERE fund_id = @f)",
            ("f", fund))).ShouldBe(0);
    }

    [Fact]
    public async Task A_rejection_in_pain002_fails_the_payment_and_releases_its_money_once_even_imported_twice()
    {
        var (fund, approver) = await FundWithDebtorAccount(budget: 5_000m);
        var due = await DuePayments(fund, 300m, 700m);
        var file = await Produce(approver, fund);
        var report = BankFiles.Pain002(file.MessageId, (due[0], "RJCT", "AC04"), (due[1], "ACCP", null));

        var first = await Import(approver, fund, report);
        var again = await Import(approver, fund, report);

        first.GetProperty("failed").EnumerateArray().Select(e => e.GetGuid()).ShouldBe([due[0]]);
        first.GetProperty("accepted").EnumerateArray().Select(e => e.GetGuid()).ShouldBe([due[1]]);
        again.GetProperty("failed").GetArrayLength().ShouldBe(0);
        again.GetProperty("alreadyRecorded").EnumerateArray().Select(e => e.GetGuid()).ShouldBe([due[0]]);
        (await Statuses(due)).ShouldBe(["failed", "sent"]);
        (await grants.Database.Scalar<string>("SELECT reason FROM grants.disbursements WHERE id = @d", ("d", due[0])))!.ShouldContain("AC04");
        (await grants.Balances(fund)).ShouldBe((4_300m, 700m, 0m, -5_000m));
        (await grants.Database.Scalar<long>("SELECT count(*) FROM grants.ledger_transactions WHERE kind = 'release' AND disbursement_id = @d", ("d", due[0]))).ShouldBe(1);
        (await grants.Events("DisbursementFailed", "disbursementId", due[0])).ShouldBe(1);
        await grants.AssertLedgerConsistent();

        // A failed payment is final: stopping it is refused, and a booked debit for it later is reported, not paid.
        var camt = await Import(approver, fund, BankFiles.Camt054(BankAccounts.Iban(DebtorAccount), Today, (due[0].ToString("N"), 300m)));
        camt.GetProperty("paid").GetArrayLength().ShouldBe(0);
        camt.GetProperty("mismatches")[0].GetProperty("problem").GetString()!.ShouldContain("failed");
    }

    [Fact]
    public async Task A_whole_file_rejected_in_pain002_fails_every_payment_of_that_file()
    {
        var (fund, approver) = await FundWithDebtorAccount(budget: 2_000m);
        var due = await DuePayments(fund, 100m, 150m);
        var file = await Produce(approver, fund);

        var report = await Import(approver, fund, BankFiles.Pain002WholeFileRejected(file.MessageId));

        report.GetProperty("failed").EnumerateArray().Select(e => e.GetGuid()).Order().ShouldBe(due.Order());
        (await grants.Balances(fund)).ShouldBe((2_000m, 0m, 0m, -2_000m));
        await grants.AssertLedgerConsistent();
    }

    [Fact]
    public async Task A_camt054_imported_twice_pays_once_on_its_booking_date_and_reports_what_does_not_match()
    {
        var (fund, approver) = await FundWithDebtorAccount(budget: 5_000m);
        var due = await DuePayments(fund, 300m, 450m);
        await Produce(approver, fund);
        var bookedOn = Today.AddDays(-1);
        var camt = BankFiles.Camt054(BankAccounts.Iban(DebtorAccount), bookedOn,
            (due[0].ToString("N"), 300m), (due[1].ToString("N"), 999m), (Guid.NewGuid().ToString("N"), 50m));

        var first = await Import(approver, fund, camt);
        var again = await Import(approver, fund, camt);

        first.GetProperty("paid").EnumerateArray().Select(e => e.GetGuid()).ShouldBe([due[0]]);
        var mismatches = first.GetProperty("mismatches").EnumerateArray().Select(m => m.GetProperty("problem").GetString()!).ToList();
        mismatches.ShouldContain(m => m.StartsWith("Amount mismatch", StringComparison.Ordinal) && m.Contains("999.00") && m.Contains("450.00"));
        mismatches.ShouldContain(m => m.StartsWith("Unknown EndToEndId", StringComparison.Ordinal));
        again.GetProperty("paid").GetArrayLength().ShouldBe(0);
        again.GetProperty("alreadyRecorded").EnumerateArray().Select(e => e.GetGuid()).ShouldBe([due[0]]);
        (await Statuses(due)).ShouldBe(["paid", "sent"]);
        (await grants.Database.Scalar<string>("SELECT paid_on::text FROM grants.disbursements WHERE id = @d", ("d", due[0]))).ShouldBe($"{bookedOn:yyyy-MM-dd}");
        (await grants.Balances(fund)).ShouldBe((4_250m, 450m, 300m, -5_000m));
        (await grants.Database.Scalar<long>("SELECT count(*) FROM grants.ledger_transactions WHERE kind = 'pay' AND disbursement_id = @d", ("d", due[0]))).ShouldBe(1);
        (await grants.Database.Scalar<string>("SELECT description FROM grants.ledger_transactions WHERE kind = 'pay' AND disbursement_id = @d", ("d", due[0])))
            .ShouldStartWith("paid by the bank: camt.054");
        (await grants.Events("DisbursementPaid", "disbursementId", due[0])).ShouldBe(1);
        (await grants.Database.Scalar<long>("SELECT count(*) FROM grants.bank_imports WHERE fund_id = @f", ("f", fund))).ShouldBe(2);
        await grants.AssertLedgerConsistent();

        // The payment the bank has not confirmed can still be marked paid by hand, and the ledger says so.
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        var byHand = await GrantsFixture.Post(kari, $"/api/grants/disbursements/{due[1]}/paid", new { paidOn = Today, paymentReference = "MANUELL-1" });
        byHand.StatusCode.ShouldBe(HttpStatusCode.OK, await byHand.Content.ReadAsStringAsync());
        (await grants.Database.Scalar<string>("SELECT description FROM grants.ledger_transactions WHERE kind = 'pay' AND disbursement_id = @d", ("d", due[1])))
            .ShouldBe("paid by hand: MANUELL-1");
        var stop = await GrantsFixture.Post(kari, $"/api/grants/disbursements/{due[1]}/stop", new { reason = "for sent" });
        stop.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("", "Not well-formed XML")]
    [InlineData("this is not xml", "Not well-formed XML")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><d>&x;</d>", "Not well-formed XML")]
    [InlineData("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\"/>", "Not a pain.002.001.10 or camt.054.001.08")]
    [InlineData("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.08\"><BkToCstmrDbtCdtNtfctn/></Document>", "Breaks the camt.054.001.08 schema")]
    [InlineData("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.10\"><CstmrPmtStsRpt><GrpHdr><MsgId>1</MsgId></GrpHdr></CstmrPmtStsRpt></Document>", "Breaks the pain.002.001.10 schema")]
    public async Task A_bad_file_from_the_bank_is_422_naming_what_is_wrong_and_changes_nothing(string content, string why)
    {
        var (fund, approver) = await FundWithDebtorAccount();
        var due = await DuePayments(fund, 100m);
        await Produce(approver, fund);

        var response = await Send(approver, fund, content);

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("file")[0].GetString()!.ShouldContain(why);
        (await Statuses(due)).ShouldBe(["sent"]);
    }

    [Fact]
    public async Task Only_the_fund_s_grant_approvers_and_admins_make_download_and_answer_its_files()
    {
        var (fund, approver) = await FundWithDebtorAccount();
        await DuePayments(fund, 100m);
        using var caseworker = grants.Client("oppvekst", "caseworker", "kari");
        using var otherApprover = grants.Client("helse", "grant-approver", "helse-approver");
        using var admin = grants.Client("oppvekst", "admin", "admin-1");

        foreach (var outsider in new[] { caseworker, otherApprover })
        {
            (await GrantsFixture.Post(outsider, $"/api/grants/funds/{fund}/payment-files", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await outsider.GetAsync($"/api/grants/funds/{fund}/payment-files")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await Send(outsider, fund, BankFiles.Pain002WholeFileRejected("x"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await outsider.PutAsJsonAsync($"/api/grants/funds/{fund}/debtor-account", new { accountNumber = DebtorAccount })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }
        (await GrantsFixture.Post(approver, $"/api/grants/funds/{Guid.NewGuid()}/payment-files", new { })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var file = await Produce(admin, fund);
        (await caseworker.GetAsync($"/api/grants/funds/{fund}/payment-files/{file.Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await approver.GetAsync($"/api/grants/funds/{fund}/payment-files/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await Download(approver, fund, file.Id);
        (await grants.Database.Scalar<long>("SELECT count(*) FROM access.access_log WHERE subject = 'fund-admin' AND purpose = @p",
            ("p", $"payment file {file.Id}"))).ShouldBe(1, "the download of the payees' data is access-logged per case");
    }

    [Fact]
    public async Task A_fund_without_a_valid_debtor_account_makes_no_file()
    {
        var fund = (await grants.CreateFund(budget: 1_000m)).GetProperty("id").GetGuid();
        using var approver = grants.Client("oppvekst", "grant-approver", "fund-admin");
        await DuePayments(fund, 100m);

        var none = await GrantsFixture.Post(approver, $"/api/grants/funds/{fund}/payment-files", new { });
        var bad = await approver.PutAsJsonAsync($"/api/grants/funds/{fund}/debtor-account", new { accountNumber = "86011117948" });
        var late = await GrantsFixture.Post(approver, $"/api/grants/funds/{fund}/payment-files", new { requestedExecutionDate = Today.AddDays(-1) });

        none.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString().ShouldBe("The fund has no debtor account.");
        bad.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("accountNumber", out _).ShouldBeTrue();
        late.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await late.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("requestedExecutionDate", out _).ShouldBeTrue();
        (await grants.Database.Scalar<long>("SELECT count(*) FROM grants.payment_files WHERE fund_id = @f", ("f", fund))).ShouldBe(0);
    }

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private async Task<(Guid Fund, HttpClient Approver)> FundWithDebtorAccount(decimal budget = 10_000m)
    {
        var fund = (await grants.CreateFund(budget)).GetProperty("id").GetGuid();
        var approver = grants.Client("oppvekst", "grant-approver", "fund-admin");
        var set = await approver.PutAsJsonAsync($"/api/grants/funds/{fund}/debtor-account", new { accountNumber = "8601.11.17947" });
        set.StatusCode.ShouldBe(HttpStatusCode.OK, await set.Content.ReadAsStringAsync());
        return (fund, approver);
    }

    /// <summary>One approved one-off grant per amount, each due today, each in a case of its own; returns the disbursement ids.</summary>
    private async Task<Guid[]> DuePayments(Guid fund, params decimal[] amounts)
    {
        var ids = new List<Guid>();
        foreach (var amount in amounts)
        {
            ids.AddRange(await ApprovedGrant(fund, amount, null));
        }
        return [.. ids];
    }

    private async Task<Guid[]> ApprovedGrant(Guid fund, decimal amount, DateOnly? dueOn)
    {
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        var body = GrantsFixture.Request(fund, amount, instalments: dueOn is null ? null : new[] { new { amount, dueOn } });
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, body)).GetProperty("id").GetGuid();
        var approved = await GrantsFixture.Post(kari, $"/api/grants/grants/{grantId}/approve", null);
        approved.StatusCode.ShouldBe(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        return (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disbursements").EnumerateArray()
            .Select(d => d.GetProperty("id").GetGuid()).ToArray();
    }

    private static async Task<(Guid Id, string MessageId)> Produce(HttpClient client, Guid fund)
    {
        var produced = await GrantsFixture.Post(client, $"/api/grants/funds/{fund}/payment-files", new { });
        produced.StatusCode.ShouldBe(HttpStatusCode.Created, await produced.Content.ReadAsStringAsync());
        var file = await produced.Content.ReadFromJsonAsync<JsonElement>();
        return (file.GetProperty("id").GetGuid(), file.GetProperty("messageId").GetString()!);
    }

    private static async Task<XDocument> Download(HttpClient client, Guid fund, Guid file)
    {
        var response = await client.GetAsync($"/api/grants/funds/{fund}/payment-files/{file}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/xml");
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, Guid fund, string xml)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, $"/api/grants/funds/{fund}/bank-answers")
        {
            Content = new StringContent(xml, Encoding.UTF8, "application/xml"),
        };
        message.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await client.SendAsync(message);
    }

    private static async Task<JsonElement> Import(HttpClient client, Guid fund, string xml)
    {
        var response = await Send(client, fund, xml);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<string[]> Statuses(IEnumerable<Guid> ids)
    {
        var list = new List<string>();
        foreach (var id in ids)
        {
            list.Add((await grants.Database.Scalar<string>("SELECT status FROM grants.disbursements WHERE id = @d", ("d", id)))!);
        }
        return [.. list];
    }
}
