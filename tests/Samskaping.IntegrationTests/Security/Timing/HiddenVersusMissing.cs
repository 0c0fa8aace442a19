using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Samskaping.IntegrationTests.Security.Timing;

/// <summary>
/// Two requests a caller must not be able to tell apart: one naming something that exists but is hidden from the
/// caller, one naming something that does not exist. <see cref="Placeholders"/> maps the ids each side names (the
/// only thing allowed to differ) to one name, so the answers can be compared as text.
/// </summary>
public sealed record HiddenMissingPair(
    string Name, Func<HttpRequestMessage> Hidden, Func<HttpRequestMessage> Missing, IReadOnlyDictionary<string, string> Placeholders);

/// <summary>What tells the two requests apart (empty when nothing does), and the timing as measured.</summary>
public sealed record HiddenMissingResult(IReadOnlyList<string> Differences, string Timing);

/// <summary>How many interleaved rounds to time, after how many rounds of warming up (prepared statements, pools, JIT).</summary>
public sealed record TimingPlan(int WarmUpRounds, int Rounds, int Seed);

/// <summary>
/// The check that "exists but hidden" and "does not exist" look the same from outside: (a) the same status, body
/// (apart from the trace id and the ids named) and header names; (b) the same database commands, in the same order,
/// in whatever service answers; (c) no large, consistent difference in time. (b) is what catches a difference in
/// work reliably on a busy machine; (c) is the net for what (b) cannot see (a call to another service, a costly
/// computation), so it is deliberately tolerant.
/// </summary>
public static partial class HiddenVersusMissing
{
    /// <summary>Differences smaller than this are noise on a shared two-core machine, whatever the ratio.</summary>
    public const double NoiseFloorMilliseconds = 2;

    /// <summary>A difference counts as large when it is also this share of the faster side's median.</summary>
    public const double LargeShare = 0.5;

    /// <summary>A difference counts as consistent when one side was slower in at least this share of the rounds.</summary>
    public const double ConsistentShare = 0.8;

    public static async Task<HiddenMissingResult> Compare(HttpClient client, DatabaseCommands commands, HiddenMissingPair pair, TimingPlan plan)
    {
        var differences = new List<string>();
        var hidden = await Send(client, commands, pair.Hidden, pair.Placeholders);
        var missing = await Send(client, commands, pair.Missing, pair.Placeholders);
        Same(differences, "status", hidden.Status.ToString(System.Globalization.CultureInfo.InvariantCulture),
            missing.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Same(differences, "body", hidden.Body, missing.Body);
        Same(differences, "header names", string.Join(", ", hidden.HeaderNames), string.Join(", ", missing.HeaderNames));
        if (!hidden.Commands.SequenceEqual(missing.Commands, StringComparer.Ordinal))
        {
            differences.Add($"database commands: hidden makes [{Describe(hidden.Commands)}], missing makes [{Describe(missing.Commands)}]");
        }

        var random = new Random(plan.Seed);
        var hiddenTimes = new List<double>();
        var missingTimes = new List<double>();
        for (var round = 0; round < plan.WarmUpRounds + plan.Rounds; round++)
        {
            // Interleaved, in a random order each round, so load from elsewhere falls on both sides alike.
            var hiddenFirst = random.Next(2) == 0;
            var first = await Send(client, commands, hiddenFirst ? pair.Hidden : pair.Missing, pair.Placeholders);
            var second = await Send(client, commands, hiddenFirst ? pair.Missing : pair.Hidden, pair.Placeholders);
            if (round >= plan.WarmUpRounds)
            {
                hiddenTimes.Add((hiddenFirst ? first : second).Milliseconds);
                missingTimes.Add((hiddenFirst ? second : first).Milliseconds);
            }
        }
        var (tellsApart, timing) = Timing(hiddenTimes, missingTimes);
        if (tellsApart)
        {
            differences.Add("time: " + timing);
        }
        return new HiddenMissingResult(differences, timing);
    }

    /// <summary>
    /// Whether the times tell the two apart: the medians differ by more than the noise floor and by more than
    /// <see cref="LargeShare"/> of the faster one, and the same side was slower in at least <see cref="ConsistentShare"/>
    /// of the rounds. <paramref name="hidden"/>[i] and <paramref name="missing"/>[i] were measured in the same round.
    /// </summary>
    public static (bool TellsApart, string Summary) Timing(IReadOnlyList<double> hidden, IReadOnlyList<double> missing)
    {
        var (hiddenMedian, missingMedian) = (Median(hidden), Median(missing));
        var hiddenSlowerShare = (double)hidden.Zip(missing).Count(r => r.First > r.Second) / hidden.Count;
        var summary = FormattableString.Invariant(
            $"median {hiddenMedian:F1} ms hidden against {missingMedian:F1} ms missing; hidden slower in {hiddenSlowerShare:P0} of {hidden.Count} rounds");
        var large = Math.Abs(hiddenMedian - missingMedian) > Math.Max(NoiseFloorMilliseconds, LargeShare * Math.Min(hiddenMedian, missingMedian));
        var consistent = hiddenSlowerShare >= ConsistentShare || hiddenSlowerShare <= 1 - ConsistentShare;
        return (large && consistent, summary);
    }

    private static async Task<Answer> Send(HttpClient client, DatabaseCommands commands, Func<HttpRequestMessage> create, IReadOnlyDictionary<string, string> placeholders)
    {
        using var request = create();
        var (traceId, traceParent) = commands.Follow();
        request.Headers.Add("traceparent", traceParent);
        var clock = Stopwatch.StartNew();
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        clock.Stop();
        foreach (var (value, name) in placeholders)
        {
            body = body.Replace(value, name, StringComparison.OrdinalIgnoreCase);
        }
        var headerNames = response.Headers.Concat(response.Content.Headers).Select(h => h.Key).Order(StringComparer.OrdinalIgnoreCase).ToList();
        return new Answer((int)response.StatusCode, TraceIdValue().Replace(body, "\"traceId\":\"…\""), headerNames, commands.Take(traceId),
            clock.Elapsed.TotalMilliseconds);
    }

    private static void Same(List<string> differences, string what, string hidden, string missing)
    {
        if (!string.Equals(hidden, missing, StringComparison.Ordinal))
        {
            differences.Add($"{what}: hidden gives [{hidden}], missing gives [{missing}]");
        }
    }

    /// <summary>The start of each command, enough to tell which it is.</summary>
    private static string Describe(IReadOnlyList<string> commands) =>
        commands.Count == 0 ? "none" : string.Join(" | ", commands.Select(c => Whitespace().Replace(c, " ").Trim()).Select(c => c.Length <= 70 ? c : c[..70] + "…"));

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("\"traceId\":\"[^\"]*\"")]
    private static partial Regex TraceIdValue();

    private sealed record Answer(int Status, string Body, IReadOnlyList<string> HeaderNames, IReadOnlyList<string> Commands, double Milliseconds);
}
