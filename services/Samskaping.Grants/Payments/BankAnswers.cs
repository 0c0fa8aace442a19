using System.Globalization;
using System.Xml.Linq;

namespace Samskaping.Grants.Payments;

/// <summary>What the bank said about one payment.</summary>
public static class Outcomes
{
    /// <summary>pain.002: accepted for execution (not yet money out of the account).</summary>
    public const string Accepted = "accepted";

    /// <summary>pain.002: received, still pending at the bank.</summary>
    public const string Pending = "pending";

    /// <summary>pain.002 RJCT: the payment will not be made.</summary>
    public const string Rejected = "rejected";

    /// <summary>camt.054: a booked debit of the fund's account — the money left.</summary>
    public const string Booked = "booked";
}

/// <summary>One payment in a file from the bank, by the EndToEndId we gave it.</summary>
/// <param name="Amount">The amount the bank names (NOK), when it names one.</param>
/// <param name="Account">The account the camt.054 notification is about (an IBAN or other id), when it names one.</param>
public sealed record PaymentAnswer(
    string? EndToEndId, string Outcome, decimal? Amount, string? Currency, DateOnly? BookedOn, string? ReasonCode, string? Reason,
    string? Reference, string? Account);

/// <summary>
/// A pain.002 or camt.054 as grants reads it. <see cref="WholeFile"/> is a pain.002's rejection of the whole original
/// file (group or payment-information status RJCT without per-payment statuses): every payment of the file failed.
/// </summary>
public sealed record BankMessage(string Kind, string MessageId, string? OriginalMessageId, PaymentAnswer? WholeFile, IReadOnlyList<PaymentAnswer> Payments);

/// <summary>Reads the bank's answers after they passed their schema (<see cref="Iso20022.Validate"/>).</summary>
public static class BankAnswers
{
    public static BankMessage Read(XDocument document)
    {
        var root = document.Root!;
        XNamespace ns = root.Name.Namespace;
        return ns.NamespaceName == Iso20022.Pain002 ? ReadPain002(root, ns) : ReadCamt054(root, ns);
    }

    private static BankMessage ReadPain002(XElement root, XNamespace ns)
    {
        var report = root.Element(ns + "CstmrPmtStsRpt")!;
        var group = report.Element(ns + "OrgnlGrpInfAndSts")!;
        var payments = new List<PaymentAnswer>();
        PaymentAnswer? wholeFile = null;
        if (Status(group.Element(ns + "GrpSts")) == Outcomes.Rejected)
        {
            wholeFile = Rejection(group, ns, null);
        }
        foreach (var info in report.Elements(ns + "OrgnlPmtInfAndSts"))
        {
            if (Status(info.Element(ns + "PmtInfSts")) == Outcomes.Rejected)
            {
                wholeFile ??= Rejection(info, ns, null);
            }
            foreach (var tx in info.Elements(ns + "TxInfAndSts"))
            {
                var outcome = Status(tx.Element(ns + "TxSts")) ?? Outcomes.Pending;
                var amount = tx.Element(ns + "OrgnlTxRef")?.Element(ns + "Amt")?.Element(ns + "InstdAmt");
                payments.Add((outcome == Outcomes.Rejected ? Rejection(tx, ns, tx.Element(ns + "OrgnlEndToEndId")?.Value) : new PaymentAnswer(
                    tx.Element(ns + "OrgnlEndToEndId")?.Value, outcome, null, null, null, null, null, null, null)) with
                {
                    Amount = Decimal(amount), Currency = amount?.Attribute("Ccy")?.Value,
                });
            }
        }
        return new BankMessage("pain.002", report.Element(ns + "GrpHdr")!.Element(ns + "MsgId")!.Value,
            group.Element(ns + "OrgnlMsgId")!.Value, payments.Count == 0 ? wholeFile : null, payments);
    }

    private static BankMessage ReadCamt054(XElement root, XNamespace ns)
    {
        var message = root.Element(ns + "BkToCstmrDbtCdtNtfctn")!;
        var payments = new List<PaymentAnswer>();
        foreach (var notification in message.Elements(ns + "Ntfctn"))
        {
            var id = notification.Element(ns + "Acct")!.Element(ns + "Id")!;
            var account = id.Element(ns + "IBAN")?.Value ?? id.Element(ns + "Othr")?.Element(ns + "Id")?.Value;
            foreach (var entry in notification.Elements(ns + "Ntry"))
            {
                // Only a booked debit that is not a reversal is money that left the fund's account.
                var debit = entry.Element(ns + "CdtDbtInd")!.Value == "DBIT" && entry.Element(ns + "RvslInd")?.Value is not ("true" or "1");
                var booked = entry.Element(ns + "Sts")?.Element(ns + "Cd")?.Value == "BOOK";
                var bookedOn = entry.Element(ns + "BookgDt") is { } date
                    ? date.Element(ns + "Dt") is { } day ? DateOnly.Parse(day.Value, CultureInfo.InvariantCulture)
                    : DateOnly.FromDateTime(DateTimeOffset.Parse(date.Element(ns + "DtTm")!.Value, CultureInfo.InvariantCulture).UtcDateTime)
                    : (DateOnly?)null;
                var details = entry.Elements(ns + "NtryDtls").SelectMany(d => d.Elements(ns + "TxDtls")).ToList();
                foreach (var tx in details)
                {
                    // A transaction's own amount, or the entry's when the entry is this one transaction.
                    var amount = tx.Element(ns + "Amt") ?? (details.Count == 1 ? entry.Element(ns + "Amt") : null);
                    var refs = tx.Element(ns + "Refs");
                    payments.Add(new PaymentAnswer(
                        refs?.Element(ns + "EndToEndId")?.Value, debit && booked ? Outcomes.Booked : Outcomes.Pending,
                        Decimal(amount), amount?.Attribute("Ccy")?.Value, bookedOn, null, null,
                        refs?.Element(ns + "AcctSvcrRef")?.Value ?? entry.Element(ns + "AcctSvcrRef")?.Value, account));
                }
            }
        }
        return new BankMessage("camt.054", message.Element(ns + "GrpHdr")!.Element(ns + "MsgId")!.Value, null, null, payments);
    }

    /// <summary>ISO 20022 external payment status codes: RJCT rejects, PDNG/RCVD wait, the rest (ACCP, ACSP, ACSC, …) accept.</summary>
    private static string? Status(XElement? status) => status?.Value switch
    {
        null => null,
        "RJCT" => Outcomes.Rejected,
        "PDNG" or "RCVD" => Outcomes.Pending,
        _ => Outcomes.Accepted,
    };

    private static PaymentAnswer Rejection(XElement element, XNamespace ns, string? endToEndId)
    {
        var reason = element.Element(ns + "StsRsnInf");
        var code = reason?.Element(ns + "Rsn")?.Element(ns + "Cd")?.Value ?? reason?.Element(ns + "Rsn")?.Element(ns + "Prtry")?.Value;
        var text = string.Join(" ", reason?.Elements(ns + "AddtlInf").Select(e => e.Value) ?? []);
        return new PaymentAnswer(endToEndId, Outcomes.Rejected, null, null, null, code,
            (code, text) switch
            {
                (null, "") => "Avvist av banken.",
                (_, "") => $"Avvist av banken ({code}).",
                (null, _) => $"Avvist av banken: {text}",
                _ => $"Avvist av banken ({code}): {text}",
            }, null, null);
    }

    private static decimal? Decimal(XElement? amount) =>
        amount is null ? null : decimal.Parse(amount.Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}
