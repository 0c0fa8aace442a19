using System.Text.Json;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Grants;

/// <summary>The grants OpenAPI document names every operation, its problems, and the Idempotency-Key where money moves.</summary>
[Collection(GrantsCollection.Name)]
public sealed class GrantsApiDocumentTests(GrantsFixture grants)
{
    [Theory]
    [InlineData("/api/grants/funds", "post", "400,409,422", true)]
    [InlineData("/api/grants/funds", "get", "", false)]
    [InlineData("/api/grants/funds/{fundId}", "get", "404", false)]
    [InlineData("/api/grants/funds/{fundId}/top-ups", "post", "400,404,422", true)]
    [InlineData("/api/grants/funds/{fundId}/reallocations", "post", "400,404,409,422", true)]
    [InlineData("/api/grants/funds/{fundId}/ledger", "get", "404", false)]
    [InlineData("/api/grants/cases/{caseId}", "get", "404", false)]
    [InlineData("/api/grants/cases/{caseId}/grants", "post", "400,404,409,422", true)]
    [InlineData("/api/grants/grants/{grantId}", "get", "404", false)]
    [InlineData("/api/grants/grants/{grantId}/decision", "get", "404", false)]
    [InlineData("/api/grants/grants/{grantId}/approve", "post", "400,403,404,409,422", true)]
    [InlineData("/api/grants/grants/{grantId}/decline", "post", "400,404,409,422", false)]
    [InlineData("/api/grants/disbursements/{disbursementId}/paid", "post", "400,404,409,422", true)]
    [InlineData("/api/grants/disbursements/{disbursementId}/stop", "post", "400,404,409,422", true)]
    [InlineData("/api/grants/disbursements/{disbursementId}/cancel", "post", "400,404,409,422", true)]
    [InlineData("/api/grants/reports/funds", "get", "422", false)]
    [InlineData("/api/grants/reports/spending", "get", "422", false)]
    [InlineData("/api/grants/reports/households/{householdId}", "get", "404,422", false)]
    public async Task Each_grants_operation_is_described(string path, string method, string problems, bool idempotent)
    {
        using var anonymous = grants.Client("oppvekst", "caseworker");

        var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json")).RootElement;

        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
        operation.GetProperty("summary").GetString().ShouldNotBeNullOrWhiteSpace();
        var answers = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
        answers.ShouldContain("401");
        answers.ShouldContain("403");
        answers.ShouldContain(a => a.StartsWith('2'));
        foreach (var problem in problems.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            answers.ShouldContain(problem, $"{method} {path}");
        }
        var parameters = operation.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
        var key = parameters.Where(x => x.GetProperty("name").GetString() == "Idempotency-Key").ToList();
        key.Count.ShouldBe(idempotent ? 1 : 0, $"{method} {path}");
        if (idempotent)
        {
            key[0].GetProperty("in").GetString().ShouldBe("header");
            key[0].TryGetProperty("required", out var required).ShouldBeTrue($"{method} {path}: the key is required");
            required.GetBoolean().ShouldBeTrue($"{method} {path}: the key is required");
            key[0].GetProperty("description").GetString()!.ShouldContain("caller", Case.Insensitive, $"{method} {path}: says whose the key is");
        }
    }

    [Theory]
    [InlineData("CreateFund", "budget", false)]
    [InlineData("CreateFund", "approvalThreshold", false)]
    [InlineData("CreateFund", "householdCap", true)]
    [InlineData("CreateFund", "lowBalanceThreshold", false)]
    [InlineData("TopUpFund", "amount", true)]
    [InlineData("ReallocateFunds", "amount", true)]
    [InlineData("RequestGrant", "amount", true)]
    [InlineData("InstalmentBody", "amount", true)]
    public async Task Every_amount_a_request_sends_declares_its_limits(string schema, string property, bool aboveZero)
    {
        using var anonymous = grants.Client("oppvekst", "caseworker");

        var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json")).RootElement;

        var amount = document.GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties").GetProperty(property);
        amount.GetProperty("maximum").GetDecimal().ShouldBe(1_000_000_000m, $"{schema}.{property}");
        amount.GetProperty(aboveZero ? "exclusiveMinimum" : "minimum").GetDecimal().ShouldBe(0m, $"{schema}.{property}");
    }

    [Theory]
    [InlineData("/api/grants/funds", "post")]
    [InlineData("/api/grants/funds", "get")]
    [InlineData("/api/grants/funds/{fundId}", "get")]
    [InlineData("/api/grants/funds/{fundId}/top-ups", "post")]
    [InlineData("/api/grants/funds/{fundId}/reallocations", "post")]
    [InlineData("/api/grants/funds/{fundId}/ledger", "get")]
    public async Task Each_fund_operation_says_who_manages_a_fund(string path, string method)
    {
        using var anonymous = grants.Client("oppvekst", "caseworker");

        var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json")).RootElement;

        var description = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("description").GetString()!;
        description.ShouldContain("grant-approvers of the fund's owning sector", Case.Insensitive, $"{method} {path}");
    }
}
