using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Grants;

/// <summary>Bad input to every grants endpoint: problem details naming what was wrong, never a 500, nothing written.</summary>
[Collection(GrantsCollection.Name)]
public sealed class GrantBadInputTests(GrantsFixture grants)
{
    private static Task<Ids>? _ids;

    private const string Family = $$"""{"kind": "family", "name": "Familien Berg", "accountNumber": "{{GrantsFixture.FamilyAccount}}"}""";

    public static TheoryData<string, string, string, int, string?> BadRequests => new()
    {
        // why, path ({fund}, {case}, {grant}, {disbursement}, {other} are filled in), body, status, field
        { "negative amount", "/api/grants/cases/{case}/grants", $$"""{"fundId": "{fund}", "amount": -5, "purpose": "sko", "payee": {{Family}}}""", 422, "amount" },
        { "three decimals", "/api/grants/cases/{case}/grants", $$"""{"fundId": "{fund}", "amount": 12.345, "purpose": "sko", "payee": {{Family}}}""", 422, "amount" },
        { "zero amount", "/api/grants/cases/{case}/grants", $$"""{"fundId": "{fund}", "amount": 0, "purpose": "sko", "payee": {{Family}}}""", 422, "amount" },
        { "amount as text", "/api/grants/cases/{case}/grants", $$"""{"fundId": "{fund}", "amount": "mye", "purpose": "sko", "payee": {{Family}}}""", 400, "amount" },
        { "missing purpose", "/api/grants/cases/{case}/grants", $$"""{"fundId": "{fund}", "amount": 5, "payee": {{Family}}}""", 422, "purpose" },
        { "purpose too long", "/api/grants/cases/{case}/grants", $$"""{"fundId": "{fund}", "amount": 5, "purpose": "{{new string('x', 2001)}}", "payee": {{Family}}}""", 422, "purpose" },
        { "unknown category", "/api/grants/cases/{case}/grants", $$"""{"fundId": "{fund}", "amount": 5, "purpose": "sko", "category": "luksus", "payee": {{Family}}}""", 422, "category" },
        { "bad account check digit", "/api/grants/cases/{case}/grants", """{"fundId": "{fund}", "amount": 5, "purpose": "sko", "payee": {"kind": "family", "name": "B", "accountNumber": "12345678900"}}""", 422, "payee.accountNumber" },
        { "account of ten digits", "/api/grants/cases/{case}/grants", """{"fundId": "{fund}", "amount": 5, "purpose": "sko", "payee": {"kind": "family", "name": "B", "accountNumber": "1234567890"}}""", 422, "payee.accountNumber" },
        { "bad organisation number", "/api/grants/cases/{case}/grants", $$$"""{"fundId": "{fund}", "amount": 5, "purpose": "sko", "payee": {"kind": "third-party", "name": "Klubb", "accountNumber": "{{{GrantsFixture.ClubAccount}}}", "organisationNumber": "974000009"}}""", 422, "payee.organisationNumber" },
        { "third party without organisation number", "/api/grants/cases/{case}/grants", $$$"""{"fundId": "{fund}", "amount": 5, "purpose": "sko", "payee": {"kind": "third-party", "name": "Klubb", "accountNumber": "{{{GrantsFixture.ClubAccount}}}"}}""", 422, "payee.organisationNumber" },
        { "unknown payee kind", "/api/grants/cases/{case}/grants", $$$"""{"fundId": "{fund}", "amount": 5, "purpose": "sko", "payee": {"kind": "bank", "name": "B", "accountNumber": "{{{GrantsFixture.FamilyAccount}}}"}}""", 422, "payee.kind" },
        { "missing payee", "/api/grants/cases/{case}/grants", """{"fundId": "{fund}", "amount": 5, "purpose": "sko"}""", 422, "payee" },
        { "unknown fund", "/api/grants/cases/{case}/grants", $$"""{"fundId": "{other}", "amount": 5, "purpose": "sko", "payee": {{Family}}}""", 422, "fundId" },
        { "fund id not a guid", "/api/grants/cases/{case}/grants", $$"""{"fundId": "fond-1", "amount": 5, "purpose": "sko", "payee": {{Family}}}""", 400, "fundId" },
        { "instalments not summing to the amount", "/api/grants/cases/{case}/grants", $$"""{"fundId": "{fund}", "amount": 500, "purpose": "sko", "payee": {{Family}}, "instalments": [{"amount": 200, "dueOn": "2030-01-01"}, {"amount": 200, "dueOn": "2030-02-01"}]}""", 422, "instalments" },
        { "instalment without a due date", "/api/grants/cases/{case}/grants", $$"""{"fundId": "{fund}", "amount": 200, "purpose": "sko", "payee": {{Family}}, "instalments": [{"amount": 200}]}""", 422, "instalments[0].dueOn" },
        { "malformed JSON", "/api/grants/cases/{case}/grants", """{"fundId": "{fund}", "amount": 5,""", 400, "body" },
        { "grant for a case that does not exist", "/api/grants/cases/{other}/grants", $$"""{"fundId": "{fund}", "amount": 5, "purpose": "sko", "payee": {{Family}}}""", 404, null },
        { "fund with negative budget", "/api/grants/funds", """{"name": "F", "owner": "kultur", "periodStart": "2026-01-01", "periodEnd": "2027-01-01", "budget": -1, "approvalThreshold": 1, "householdCap": 1, "lowBalanceThreshold": 0, "reportToBenefitSystem": true}""", 422, "budget" },
        { "fund threshold with three decimals", "/api/grants/funds", """{"name": "F", "owner": "kultur", "periodStart": "2026-01-01", "periodEnd": "2027-01-01", "budget": 1, "approvalThreshold": 1.001, "householdCap": 1, "lowBalanceThreshold": 0, "reportToBenefitSystem": true}""", 422, "approvalThreshold" },
        { "fund period ending before it starts", "/api/grants/funds", """{"name": "F", "owner": "kultur", "periodStart": "2026-01-01", "periodEnd": "2025-01-01", "budget": 1, "approvalThreshold": 1, "householdCap": 1, "lowBalanceThreshold": 0, "reportToBenefitSystem": true}""", 422, "periodEnd" },
        { "fund without a name", "/api/grants/funds", """{"owner": "kultur", "periodStart": "2026-01-01", "periodEnd": "2027-01-01", "budget": 1, "approvalThreshold": 1, "householdCap": 1, "lowBalanceThreshold": 0, "reportToBenefitSystem": true}""", 422, "name" },
        { "top-up with three decimals", "/api/grants/funds/{fund}/top-ups", """{"amount": 1.001}""", 422, "amount" },
        { "top-up past the amount limit", "/api/grants/funds/{fund}/top-ups", """{"amount": 1000000000.01}""", 422, "amount" },
        { "top-up of the largest amount the column holds", "/api/grants/funds/{fund}/top-ups", """{"amount": 999999999999.99}""", 422, "amount" },
        { "reallocation past the amount limit", "/api/grants/funds/{fund}/reallocations", """{"toFundId": "{other}", "amount": 1000000000.01, "reason": "x"}""", 422, "amount" },
        { "grant past the amount limit", "/api/grants/cases/{case}/grants", $$"""{"fundId": "{fund}", "amount": 1000000000.01, "purpose": "sko", "payee": {{Family}}}""", 422, "amount" },
        { "fund budget past the amount limit", "/api/grants/funds", """{"name": "F", "owner": "oppvekst", "periodStart": "2026-01-01", "periodEnd": "2027-01-01", "budget": 1000000000.01, "approvalThreshold": 1, "householdCap": 1, "lowBalanceThreshold": 0, "reportToBenefitSystem": true}""", 422, "budget" },
        { "top-up of an unknown fund", "/api/grants/funds/{other}/top-ups", """{"amount": 1}""", 404, null },
        { "reallocation to itself", "/api/grants/funds/{fund}/reallocations", """{"toFundId": "{fund}", "amount": 1, "reason": "x"}""", 422, "toFundId" },
        { "reallocation to an unknown fund", "/api/grants/funds/{fund}/reallocations", """{"toFundId": "{other}", "amount": 1, "reason": "x"}""", 422, "toFundId" },
        { "reallocation without a reason", "/api/grants/funds/{fund}/reallocations", """{"toFundId": "{fund}", "amount": -1}""", 422, "reason" },
        { "approving an unknown grant", "/api/grants/grants/{other}/approve", "", 404, null },
        { "declining without a reason", "/api/grants/grants/{grant}/decline", """{"reason": ""}""", 422, "reason" },
        { "paid without a date", "/api/grants/disbursements/{disbursement}/paid", """{"paymentReference": "R1"}""", 422, "paidOn" },
        { "paid with a date that is not one", "/api/grants/disbursements/{disbursement}/paid", """{"paidOn": "i går", "paymentReference": "R1"}""", 400, "paidOn" },
        { "paid without a reference", "/api/grants/disbursements/{disbursement}/paid", """{"paidOn": "2026-11-27"}""", 422, "paymentReference" },
        { "paid years ahead", "/api/grants/disbursements/{disbursement}/paid", """{"paidOn": "2999-01-01", "paymentReference": "R1"}""", 422, "paidOn" },
        { "stop without a reason", "/api/grants/disbursements/{disbursement}/stop", """{}""", 422, "reason" },
        { "cancel of an unknown disbursement", "/api/grants/disbursements/{other}/cancel", """{"reason": "x"}""", 404, null },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_a_problem_naming_the_field_and_changes_nothing(string why, string path, string body, int status, string? field)
    {
        var ids = await (_ids ??= Arrange());
        using var approver = grants.Client("oppvekst", "grant-approver", "bad-input-approver");
        var before = await Snapshot();
        using var request = new HttpRequestMessage(HttpMethod.Post, ids.Fill(path))
        {
            Content = new StringContent(ids.Fill(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var response = await approver.SendAsync(request);

        ((int)response.StatusCode).ShouldBe(status, $"{why}: {await response.Content.ReadAsStringAsync()}");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json", why);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (field is not null)
        {
            problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue($"{why}: {problem}");
        }
        problem.ToString().ShouldNotContain("   at ", customMessage: "no stack trace");
        (await Snapshot()).ShouldBe(before, why);
    }

    [Theory]
    [InlineData("/api/grants/cases/{case}/grants")]
    [InlineData("/api/grants/funds/{fund}/top-ups")]
    [InlineData("/api/grants/funds/{fund}/reallocations")]
    [InlineData("/api/grants/funds")]
    [InlineData("/api/grants/grants/{grant}/approve")]
    [InlineData("/api/grants/disbursements/{disbursement}/paid")]
    [InlineData("/api/grants/disbursements/{disbursement}/stop")]
    [InlineData("/api/grants/disbursements/{disbursement}/cancel")]
    public async Task Every_money_moving_post_needs_an_Idempotency_Key(string path)
    {
        var ids = await (_ids ??= Arrange());
        using var approver = grants.Client("oppvekst", "grant-approver", "bad-input-approver");

        var response = await approver.PostAsync(ids.Fill(path), new StringContent("{}", Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Idempotency-Key", out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData("/api/grants/reports/funds?format=xml")]
    [InlineData("/api/grants/reports/spending?format=pdf")]
    public async Task An_unknown_report_format_is_422_naming_format(string path)
    {
        using var analyst = grants.Client("oppvekst", "analyst");

        var response = await analyst.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("format", out _).ShouldBeTrue();
    }

    private async Task<Ids> Arrange()
    {
        var fund = (await grants.CreateFund(budget: 1_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var approver = grants.Client("oppvekst", "grant-approver", "bad-input-approver");
        var grant = (await GrantsFixture.RequestGrant(approver, caseId, GrantsFixture.Request(fund, 10m))).GetProperty("id").GetGuid();
        var disbursement = (await DisbursementTests.ApprovedPlan(approver, caseId, fund, 5m, 1))[0];
        return new Ids(fund, caseId, grant, disbursement);
    }

    private async Task<(long, long, long, decimal)> Snapshot() => (
        await grants.Database.Scalar<long>("SELECT count(*) FROM grants.grants"),
        await grants.Database.Scalar<long>("SELECT count(*) FROM grants.ledger_transactions"),
        await grants.Database.Scalar<long>("SELECT count(*) FROM grants.disbursements WHERE status <> 'planned'"),
        await grants.Database.Scalar<decimal>("SELECT coalesce(sum(abs(balance)), 0) FROM grants.account_balances"));

    private sealed record Ids(Guid Fund, Guid Case, Guid Grant, Guid Disbursement)
    {
        public Guid Other { get; } = Guid.NewGuid();

        public string Fill(string text) => text.Replace("{fund}", Fund.ToString(), StringComparison.Ordinal)
            .Replace("{case}", Case.ToString(), StringComparison.Ordinal).Replace("{grant}", Grant.ToString(), StringComparison.Ordinal)
            .Replace("{disbursement}", Disbursement.ToString(), StringComparison.Ordinal).Replace("{other}", Other.ToString(), StringComparison.Ordinal);
    }
}
