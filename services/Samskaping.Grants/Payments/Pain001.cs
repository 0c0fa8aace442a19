using System.Globalization;
using System.Xml.Linq;

namespace Samskaping.Grants.Payments;

/// <summary>One credit transfer of a payment file: a disbursement to the payee recorded on its grant.</summary>
/// <param name="EndToEndId">The disbursement's id, 32 hex digits: the bank gives it back in pain.002 and camt.054.</param>
public sealed record CreditTransfer(string EndToEndId, decimal Amount, string CreditorName, string CreditorAccount, string Remittance);

/// <summary>The debtor side of a payment file: the fund's account and the municipality's name.</summary>
public sealed record Debtor(string Name, string Account);

/// <summary>
/// Writes an ISO 20022 customer credit transfer initiation (pain.001.001.09): one payment information block per file
/// (one fund, one debtor account, one execution date), one transaction per disbursement, amounts in NOK.
/// </summary>
public static class Pain001
{
    private static readonly XNamespace Ns = Iso20022.Pain001;

    /// <summary>Max140Text: a payee's name and the remittance line are cut to what the schema allows.</summary>
    public const int MaxTextLength = 140;

    public static XDocument Write(string messageId, DateTimeOffset createdAt, DateOnly executionDate, Debtor debtor, IReadOnlyList<CreditTransfer> transfers)
    {
        var count = transfers.Count.ToString(CultureInfo.InvariantCulture);
        var total = Amount(transfers.Sum(t => t.Amount));
        return new XDocument(new XDeclaration("1.0", "UTF-8", null),
            new XElement(Ns + "Document",
                new XElement(Ns + "CstmrCdtTrfInitn",
                    new XElement(Ns + "GrpHdr",
                        new XElement(Ns + "MsgId", messageId),
                        new XElement(Ns + "CreDtTm", createdAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
                        new XElement(Ns + "NbOfTxs", count),
                        new XElement(Ns + "CtrlSum", total),
                        new XElement(Ns + "InitgPty", new XElement(Ns + "Nm", Cut(debtor.Name)))),
                    new XElement(Ns + "PmtInf",
                        new XElement(Ns + "PmtInfId", messageId),
                        new XElement(Ns + "PmtMtd", "TRF"),
                        new XElement(Ns + "NbOfTxs", count),
                        new XElement(Ns + "CtrlSum", total),
                        new XElement(Ns + "ReqdExctnDt", new XElement(Ns + "Dt", executionDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))),
                        new XElement(Ns + "Dbtr", new XElement(Ns + "Nm", Cut(debtor.Name))),
                        Account("DbtrAcct", debtor.Account),
                        // The debtor's bank is known from its account; the schema needs the element, not a BIC.
                        new XElement(Ns + "DbtrAgt", new XElement(Ns + "FinInstnId")),
                        transfers.Select(Transfer)))));
    }

    private static XElement Transfer(CreditTransfer t) =>
        new(Ns + "CdtTrfTxInf",
            new XElement(Ns + "PmtId", new XElement(Ns + "EndToEndId", t.EndToEndId)),
            new XElement(Ns + "Amt", new XElement(Ns + "InstdAmt", new XAttribute("Ccy", "NOK"), Amount(t.Amount))),
            new XElement(Ns + "Cdtr", new XElement(Ns + "Nm", Cut(t.CreditorName))),
            Account("CdtrAcct", t.CreditorAccount),
            new XElement(Ns + "RmtInf", new XElement(Ns + "Ustrd", Cut(t.Remittance))));

    private static XElement Account(string name, string account) =>
        new(Ns + name, new XElement(Ns + "Id", new XElement(Ns + "IBAN", BankAccounts.Iban(account))));

    private static string Amount(decimal amount) => amount.ToString("F2", CultureInfo.InvariantCulture);

    private static string Cut(string text) => text.Length <= MaxTextLength ? text : text[..MaxTextLength];
}
