using System.Net.Http.Headers;
using System.Text.Json;

namespace Samskaping.IntegrationTests.Security.Fuzz;

/// <summary>One answer that broke a rule, with what it takes to send the request again.</summary>
internal sealed record Violation(string Rule, string Operation, string Seed, int Index, string Request, int Status, string Snippet)
{
    public override string ToString() => $"[{Rule}] {Operation} → {Status} (seed {Seed} #{Index})\n      request: {Request}\n      answer:  {Snippet}";
}

/// <summary>
/// What every answer to a hostile request must look like: never a 5xx (except the documented 503 of the benefit
/// look-up when the benefit system is down), nothing of the server's insides (stack frames, exception types,
/// driver names, source paths) in the body or a header, and every 4xx a problem details document with its title
/// and status.
/// </summary>
internal static class ResponseRules
{
    private static readonly string[] Leaks =
    [
        "   at ", "Exception", "Npgsql", "PostgreSQL", "SqlState", "MassTransit", ".cs:line", "/work/", "/home/", "/src/",
        "Microsoft.AspNetCore", "System.Text.Json", "Dapper", "StackTrace", "stackTrace", "innerException",
    ];

    public static IEnumerable<string> Check(FuzzRequest request, int status, HttpResponseHeaders headers, HttpContentHeaders? contentHeaders, string body)
    {
        if (status >= 500 && !IsDocumentedUnavailable(request, status, body))
        {
            yield return "5xx";
        }
        var headerText = string.Join("\n", headers.Concat(contentHeaders ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .Select(h => $"{h.Key}: {string.Join(",", h.Value)}"));
        foreach (var leak in Leaks)
        {
            if (body.Contains(leak, StringComparison.Ordinal) || headerText.Contains(leak, StringComparison.Ordinal))
            {
                yield return $"leak:{leak.Trim()}";
            }
        }
        if (status is >= 400 and < 500)
        {
            var mediaType = contentHeaders?.ContentType?.MediaType;
            if (mediaType != "application/problem+json")
            {
                yield return $"not-problem-details:{mediaType ?? "none"}";
            }
            else if (!IsProblem(body, status))
            {
                yield return "problem-without-title-or-status";
            }
        }
    }

    private static bool IsDocumentedUnavailable(FuzzRequest request, int status, string body) =>
        status == 503
        && request.Operation.Key == "GET /api/benefits/households/{householdId}/benefits"
        && body.Contains("The benefit system is unavailable.", StringComparison.Ordinal);

    private static bool IsProblem(string body, int status)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String && title.GetString()!.Length > 0
                && root.TryGetProperty("status", out var s) && s.TryGetInt32(out var value) && value == status;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
