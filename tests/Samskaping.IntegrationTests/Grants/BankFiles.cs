using System.Globalization;

namespace Samskaping.IntegrationTests.Grants;

/// <summary>The bank's answers as a bank writes them: pain.002.001.10 status reports and camt.054.001.08 debit notifications.</summary>
internal static class BankFiles
{
    public static string Pain002(string originalMessageId, params (Guid Disbursement, string Status, string? Reason)[] payments) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">
          <CstmrPmtStsRpt>
            <GrpHdr><MsgId>PSR-{Guid.NewGuid().ToString("N")[..30]}</MsgId><CreDtTm>2026-12-05T10:00:00</CreDtTm></GrpHdr>
            <OrgnlGrpInfAndSts><OrgnlMsgId>{originalMessageId}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId></OrgnlGrpInfAndSts>
            <OrgnlPmtInfAndSts>
              <OrgnlPmtInfId>{originalMessageId}</OrgnlPmtInfId>
              {string.Concat(payments.Select(p => $"""
                <TxInfAndSts>
                  <OrgnlEndToEndId>{p.Disbursement:N}</OrgnlEndToEndId>
                  <TxSts>{p.Status}</TxSts>
                  {(p.Reason is null ? "" : $"<StsRsnInf><Rsn><Cd>{p.Reason}</Cd></Rsn><AddtlInf>Kontoen er avsluttet</AddtlInf></StsRsnInf>")}
                </TxInfAndSts>
                """))}
            </OrgnlPmtInfAndSts>
          </CstmrPmtStsRpt>
        </Document>
        """;

    /// <summary>A pain.002 that rejects the whole original file (group status RJCT, no per-payment statuses).</summary>
    public static string Pain002WholeFileRejected(string originalMessageId) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">
          <CstmrPmtStsRpt>
            <GrpHdr><MsgId>PSR-{Guid.NewGuid().ToString("N")[..30]}</MsgId><CreDtTm>2026-12-05T10:00:00</CreDtTm></GrpHdr>
            <OrgnlGrpInfAndSts>
              <OrgnlMsgId>{originalMessageId}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId><GrpSts>RJCT</GrpSts>
              <StsRsnInf><Rsn><Cd>FF01</Cd></Rsn></StsRsnInf>
            </OrgnlGrpInfAndSts>
          </CstmrPmtStsRpt>
        </Document>
        """;

    public static string Camt054(string accountIban, DateOnly bookedOn, params (string EndToEndId, decimal Amount)[] debits) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">
          <BkToCstmrDbtCdtNtfctn>
            <GrpHdr><MsgId>CAMT-{Guid.NewGuid().ToString("N")[..30]}</MsgId><CreDtTm>2026-12-05T10:00:00</CreDtTm></GrpHdr>
            <Ntfctn>
              <Id>NTF-1</Id>
              <Acct><Id><IBAN>{accountIban}</IBAN></Id></Acct>
              {string.Concat(debits.Select(d => $"""
                <Ntry>
                  <Amt Ccy="NOK">{Amount(d.Amount)}</Amt>
                  <CdtDbtInd>DBIT</CdtDbtInd>
                  <Sts><Cd>BOOK</Cd></Sts>
                  <BookgDt><Dt>{bookedOn:yyyy-MM-dd}</Dt></BookgDt>
                  <BkTxCd/>
                  <NtryDtls><TxDtls><Refs><EndToEndId>{d.EndToEndId}</EndToEndId></Refs><Amt Ccy="NOK">{Amount(d.Amount)}</Amt><CdtDbtInd>DBIT</CdtDbtInd></TxDtls></NtryDtls>
                </Ntry>
                """))}
            </Ntfctn>
          </BkToCstmrDbtCdtNtfctn>
        </Document>
        """;

    private static string Amount(decimal amount) => amount.ToString("F2", CultureInfo.InvariantCulture);
}
