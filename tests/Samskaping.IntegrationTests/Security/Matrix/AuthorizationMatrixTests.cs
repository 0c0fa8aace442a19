using System.Collections.Concurrent;
using Samskaping.IntegrationTests.EndToEnd;
using Shouldly;
using Xunit;
using Xunit.Abstractions;

namespace Samskaping.IntegrationTests.Security.Matrix;

/// <summary>
/// Object-, property- and function-level authorization (OWASP API1, API5) proven over the whole public API: every
/// operation the services document, called through the gateway by every role × sector and the odd tokens, against
/// data that belongs to one sector, compared with the declared table (<c>policy-table.md</c>).
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class AuthorizationMatrixTests(SystemFixture system, ITestOutputHelper output)
{
    /// <summary>
    /// Changes that move who sees the case or who leads it: called last, by one allowed caller each, after every
    /// denial has been checked, in this order.
    /// </summary>
    private static readonly string[] Closing =
    [
        "POST /api/coordination/cases/{caseId}/handovers/{handoverId}/decline",
        "POST /api/coordination/cases/{caseId}/handovers/{handoverId}/cancel",
        "POST /api/coordination/cases/{caseId}/handovers/{handoverId}/accept",
        "DELETE /api/coordination/cases/{caseId}/sectors/{sector}",
        "POST /api/cases/{id}/status",
        "POST /api/cases/{id}/consents/{consentId}/withdrawal",
        "POST /api/cases/citizen/cases/{caseId}/consents/{consentId}/withdraw",
    ];

    [Fact]
    public async Task Every_operation_has_exactly_one_row_in_the_policy_table_and_the_docs_copy_is_the_table()
    {
        var table = PolicyTable.Load();
        var catalogue = await ApiCatalogue.Load(system);
        var keys = catalogue.Operations.Select(o => o.Key).ToHashSet(StringComparer.Ordinal);

        catalogue.Operations.Where(o => !table.Rows.ContainsKey(o.Key)).Select(o => o.Key)
            .ShouldBeEmpty("operations without a row in Security/Matrix/policy-table.md");
        table.Rows.Keys.Where(k => !keys.Contains(k))
            .ShouldBeEmpty("rows of the policy table naming operations the services no longer document");
        File.Exists(PolicyTable.DocPath).ShouldBeTrue($"{PolicyTable.DocPath} is missing");
        File.ReadAllText(PolicyTable.DocPath).ReplaceLineEndings().ShouldBe(table.Text.ReplaceLineEndings(),
            "docs/authorization-matrix.md must be a copy of tests/Samskaping.IntegrationTests/Security/Matrix/policy-table.md");
    }

    [Fact]
    public async Task Every_operation_answers_every_caller_as_the_policy_table_declares()
    {
        var table = PolicyTable.Load();
        var catalogue = await ApiCatalogue.Load(system);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var scene = await MatrixScene.Create(system);
        output.WriteLine($"The scene was set up in {clock.Elapsed.TotalSeconds:F0} s.");
        clock.Restart();
        var identities = MatrixIdentity.All(scene);
        using var gateway = system.Anonymous();
        var calls = new ConcurrentBag<Call>();

        var operations = catalogue.Operations.Where(o => table.Rows.ContainsKey(o.Key)).ToList();
        var plan = operations
            .SelectMany(o => identities.Select(i => new Planned(o, i, Expectation.For(table.Rows[o.Key], i, scene.PathSector))))
            .ToList();
        var options = new ParallelOptions { MaxDegreeOfParallelism = 8 };

        // Reads by everyone, and changes by everyone the table denies: none of these may change anything.
        var safe = plan.Where(p => p.Operation.Method == "GET" || p.Expected != Expectation.Allowed).ToList();
        await Parallel.ForEachAsync(safe, options, async (p, _) => calls.Add(await Run(gateway, scene, p)));

        // Changes by the allowed callers, after every denial was checked, so one change can't hide another's refusal.
        var changes = plan.Where(p => p.Operation.Method != "GET" && p.Expected == Expectation.Allowed).ToList();
        foreach (var group in changes.Where(p => !Closing.Contains(p.Operation.Key)).GroupBy(p => p.Operation.Key))
        {
            foreach (var p in group)
            {
                calls.Add(await Run(gateway, scene, p));
            }
        }
        foreach (var key in Closing)
        {
            var allowed = changes.Where(p => p.Operation.Key == key).ToList();
            var one = allowed.FirstOrDefault(p => p.Identity.IsLead || p.Identity.IsReceiver) ?? allowed.FirstOrDefault();
            if (one is not null)
            {
                calls.Add(await Run(gateway, scene, one));
            }
        }

        var mismatches = calls.Where(c => c.Got != c.Planned.Expected)
            .OrderBy(c => c.Planned.Operation.Key, StringComparer.Ordinal).ThenBy(c => c.Planned.Identity.Name, StringComparer.Ordinal)
            .ToList();
        foreach (var m in mismatches)
        {
            output.WriteLine(m.ToString());
        }
        output.WriteLine($"{calls.Count} calls over {operations.Count} operations and {identities.Count} callers in {clock.Elapsed.TotalSeconds:F0} s; {mismatches.Count} mismatches.");

        var unexpectedAllows = mismatches.Where(m => m.Got == Expectation.Allowed).ToList();
        unexpectedAllows.ShouldBeEmpty("unexpected allows:\n" + string.Join('\n', unexpectedAllows));
        mismatches.ShouldBeEmpty("answers that differ from the policy table:\n" + string.Join('\n', mismatches));
        calls.Count.ShouldBeGreaterThan(operations.Count * PolicyTable.StaffRoles.Length * MatrixIdentity.Sectors.Length / 2);
    }

    private static async Task<Call> Run(HttpClient gateway, MatrixScene scene, Planned p)
    {
        using var request = MatrixRequest.Create(p.Operation, scene.PathValues(p.Operation), scene, p.Identity.Token);
        using var response = await gateway.SendAsync(request);
        var got = Expectation.Classify((int)response.StatusCode);
        return new Call(p, got, (int)response.StatusCode, got == p.Expected ? "" : Shorten(await response.Content.ReadAsStringAsync()));
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private sealed record Planned(ApiOperation Operation, MatrixIdentity Identity, int Expected);

    private sealed record Call(Planned Planned, int Got, int Status, string Body)
    {
        public override string ToString() =>
            $"{Planned.Operation.Key} | {Planned.Identity.Name} | expected {Expectation.Describe(Planned.Expected)} | got {Status}{(Body.Length > 0 ? " " + Body : "")}";
    }
}
