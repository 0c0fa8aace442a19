using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Samskaping.IntegrationTests.Infrastructure;

namespace Samskaping.IntegrationTests.EndToEnd;

/// <summary>
/// The README's walk-through, taken from README.md itself: the <c>sh</c> blocks of its "Walk-through" section, run in
/// order with bash against a test system, each call's answer checked against the comment after the call. A comment
/// <c># 201 ...</c> says the status; every <c>"name": value</c> in it (a string, number, boolean, null, {}, or an
/// array of strings) must be a property somewhere in the answer (<c>$NAME</c> in a value is a variable an earlier
/// command set); a comment line right below goes on with it. The gateway address in the text is replaced by the
/// test system's, and <c>./samskaping token</c> signs for it through the <c>Auth__*</c> settings it is run with.
/// </summary>
internal sealed partial class ReadmeWalkThrough(IReadOnlyList<ReadmeWalkThrough.Step> steps)
{
    /// <summary>The address the README's commands use (the gateway of <c>./samskaping up</c>).</summary>
    public const string ReadmeGateway = "http://127.0.0.1:5080";

    private static readonly TimeSpan EventualWithin = TimeSpan.FromSeconds(60);

    public IReadOnlyList<Step> Steps => steps;

    /// <summary>One <c>sh</c> block: its text, the line it starts on, and what each of its calls answers, in order.</summary>
    public sealed record Step(int Line, string Text, IReadOnlyList<Expectation> Expectations);

    public sealed record Expectation(int Status, IReadOnlyList<(string Name, string Json)> Fields, string Comment);

    /// <summary>What one call answered, as the bash <c>curl</c> wrapper recorded it.</summary>
    public sealed record Call(string Method, string Url, int Status, string Body);

    public static ReadmeWalkThrough Parse(string readme)
    {
        var lines = readme.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("## Walk-through", StringComparison.Ordinal));
        if (start < 0)
        {
            throw new InvalidOperationException("README.md has no \"## Walk-through\" section.");
        }
        var result = new List<Step>();
        for (var i = start + 1; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            if (lines[i].TrimEnd() != "```sh")
            {
                continue;
            }
            var first = i + 1;
            var end = Array.FindIndex(lines, first, l => l.TrimEnd() == "```");
            var block = lines[first..end];
            result.Add(new Step(first + 1, string.Join('\n', block), Expectations(block)));
            i = end;
        }
        return new ReadmeWalkThrough(result);
    }

    /// <summary>Runs every step in order; a step that only reads is repeated while the system catches up.</summary>
    public async Task Run(Uri gateway, IReadOnlyDictionary<string, string> environment)
    {
        using var work = new WorkFolder();
        var variables = AssignedVariables(steps);
        foreach (var step in steps)
        {
            var outcome = await Eventually.Get(
                () => Task.FromResult(RunStep(step, gateway, environment, variables, work)),
                o => o.Failures.Count == 0 || !o.OnlyReads,
                EventualWithin,
                $"README step at line {step.Line}");
            if (outcome.Failures.Count > 0)
            {
                throw new ReadmeStepFailed(outcome.ToString());
            }
            File.Copy(outcome.StateFile, work.State, overwrite: true);
        }
    }

    private static Outcome RunStep(Step step, Uri gateway, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> variables, WorkFolder work)
    {
        var calls = work.NewCallsFolder();
        var stateAfter = Path.Combine(calls, "state");
        var script = new StringBuilder()
            .AppendLine("set -euo pipefail")
            .AppendLine($"source {Quote(work.State)}")
            .AppendLine($"readme_calls={Quote(calls)}")
            .AppendLine(CurlWrapper)
            .AppendLine(step.Text.Replace(ReadmeGateway, gateway.ToString().TrimEnd('/'), StringComparison.Ordinal))
            .AppendLine($"for name in {string.Join(' ', variables)}; do if [[ -v $name ]]; then declare -p \"$name\"; fi; done >{Quote(stateAfter)}")
            .ToString();
        var (exit, errors) = Bash(script, environment);
        var recorded = Recorded(calls);
        var state = File.Exists(stateAfter) ? Variables(File.ReadAllText(stateAfter)) : new Dictionary<string, string>();
        var failures = new List<string>();
        if (exit != 0)
        {
            failures.Add($"bash exited with {exit}: {errors.Trim()}");
        }
        else if (recorded.Count != step.Expectations.Count)
        {
            failures.Add($"{recorded.Count} calls ran, but the README says what {step.Expectations.Count} answer (a \"# <status> ...\" comment after each call)");
        }
        else
        {
            failures.AddRange(recorded.Zip(step.Expectations).SelectMany(pair => Mismatches(pair.First, pair.Second, state)));
        }
        return new Outcome(step, recorded, failures, stateAfter);
    }

    private static IEnumerable<string> Mismatches(Call call, Expectation expected, IReadOnlyDictionary<string, string> variables)
    {
        if (call.Status != expected.Status)
        {
            yield return $"{call.Method} {call.Url} answered {call.Status}, the README says {expected.Status}: {call.Body}";
            yield break;
        }
        if (expected.Fields.Count == 0)
        {
            yield break;
        }
        JsonElement answer;
        try
        {
            answer = JsonDocument.Parse(call.Body).RootElement;
        }
        catch (JsonException)
        {
            answer = default;
        }
        foreach (var (name, json) in expected.Fields)
        {
            var value = JsonDocument.Parse(Expand(json, variables)).RootElement;
            if (answer.ValueKind == JsonValueKind.Undefined || !Contains(answer, name, value))
            {
                yield return $"{call.Method} {call.Url}: the README says the answer has \"{name}\": {value.GetRawText()}; it was {call.Body}";
            }
        }
    }

    /// <summary>Whether any object in <paramref name="element"/>, at any depth, has <paramref name="name"/> with that value.</summary>
    private static bool Contains(JsonElement element, string name, JsonElement value) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Any(p =>
            (p.NameEquals(name) && JsonElement.DeepEquals(p.Value, value)) || Contains(p.Value, name, value)),
        JsonValueKind.Array => element.EnumerateArray().Any(e => Contains(e, name, value)),
        _ => false,
    };

    /// <summary>The block's "# 200 ..." comments in order; a comment line right below one goes on with it.</summary>
    private static List<Expectation> Expectations(IEnumerable<string> block)
    {
        var expectations = new List<Expectation>();
        var goesOn = false;
        foreach (var line in block)
        {
            var comment = ExpectationComment().Match(line);
            if (comment.Success)
            {
                var status = int.Parse(comment.Groups["status"].Value, CultureInfo.InvariantCulture);
                expectations.Add(new Expectation(status, Fields(comment.Groups["text"].Value), comment.Groups["text"].Value.Trim()));
                goesOn = true;
            }
            else if (goesOn && line.TrimStart().StartsWith('#'))
            {
                var last = expectations[^1];
                expectations[^1] = last with { Fields = [.. last.Fields, .. Fields(line)], Comment = $"{last.Comment} {line.TrimStart('#', ' ')}" };
            }
            else
            {
                goesOn = false;
            }
        }
        return expectations;
    }

    private static List<(string Name, string Json)> Fields(string text) =>
        [.. Field().Matches(text).Select(m => (m.Groups["name"].Value, m.Groups["value"].Value))];

    private static string Expand(string json, IReadOnlyDictionary<string, string> variables) =>
        VariableReference().Replace(json, m => variables.TryGetValue(m.Groups["name"].Value, out var value) ? value : m.Value);

    private static List<string> AssignedVariables(IEnumerable<Step> all) =>
        [.. all.SelectMany(s => s.Text.Split('\n')).Select(l => Assignment().Match(l)).Where(m => m.Success).Select(m => m.Groups["name"].Value).Distinct()];

    private static Dictionary<string, string> Variables(string declarations) =>
        Declaration().Matches(declarations).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);

    private static List<Call> Recorded(string folder)
    {
        var count = File.Exists(Path.Combine(folder, "count")) ? int.Parse(File.ReadAllText(Path.Combine(folder, "count")).Trim(), CultureInfo.InvariantCulture) : 0;
        return [.. Enumerable.Range(1, count).Select(n =>
        {
            var request = File.ReadAllText(Path.Combine(folder, $"{n}.request")).Trim().Split(' ', 2);
            var status = File.ReadAllText(Path.Combine(folder, $"{n}.status")).Trim();
            var body = File.Exists(Path.Combine(folder, $"{n}.body")) ? File.ReadAllText(Path.Combine(folder, $"{n}.body")) : "";
            return new Call(request[0], request.ElementAtOrDefault(1) ?? "", int.Parse(status, CultureInfo.InvariantCulture), body);
        })];
    }

    private static (int Exit, string Errors) Bash(string script, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestEnvironment.Root,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var bash = Process.Start(start)!;
        var errors = bash.StandardError.ReadToEndAsync();
        _ = bash.StandardOutput.ReadToEnd();
        bash.WaitForExit();
        return (bash.ExitCode, errors.Result);
    }

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    // Each call keeps its method, address, status and body in the step's folder and passes the body on unchanged, so
    // `CASE=$(curl ... | sed ...)` works as it does for a reader.
    private const string CurlWrapper = """
        curl() {
          local n method=GET url="" previous="" argument
          n=$(($(cat "$readme_calls/count" 2>/dev/null || echo 0) + 1))
          echo "$n" >"$readme_calls/count"
          for argument in "$@"; do
            case $previous in
              -X | --request) method=$argument ;;
              -d | --data | --data-raw | --data-binary) [[ $method == GET ]] && method=POST ;;
            esac
            [[ $argument == http://* ]] && url=$argument
            previous=$argument
          done
          echo "$method $url" >"$readme_calls/$n.request"
          command curl --max-time 30 -o "$readme_calls/$n.body" -w '%{http_code}' "$@" >"$readme_calls/$n.status"
          cat "$readme_calls/$n.body" 2>/dev/null || true
        }
        """;

    [GeneratedRegex(@"(?:^|\s)#\s+(?<status>[1-5]\d\d)\b(?<text>.*)$")]
    private static partial Regex ExpectationComment();

    [GeneratedRegex(@"""(?<name>[A-Za-z_][\w.-]*)""\s*:\s*(?<value>""(?:[^""\\]|\\.)*""|-?\d+(?:\.\d+)?|true|false|null|\[(?:\s*""(?:[^""\\]|\\.)*""\s*,?)*\]|\{\})")]
    private static partial Regex Field();

    [GeneratedRegex(@"\$(?<name>[A-Z_][A-Z0-9_]*)")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^\s*(?<name>[A-Z_][A-Z0-9_]*)=")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"^declare -\S* (?<name>\w+)=""(?<value>[^""]*)""$", RegexOptions.Multiline)]
    private static partial Regex Declaration();

    private sealed record Outcome(Step Step, IReadOnlyList<Call> Calls, IReadOnlyList<string> Failures, string StateFile)
    {
        /// <summary>A step that only reads may be repeated: it changes nothing, and the services may not have caught up.</summary>
        public bool OnlyReads => Calls.Count > 0 && Calls.All(c => c.Method == "GET");

        public override string ToString() =>
            $"README.md, the walk-through's step at line {Step.Line}:\n{Step.Text}\n-> " + string.Join("\n-> ", Failures);
    }

    /// <summary>A folder of the run's own: the variables carried from step to step, and each attempt's calls.</summary>
    private sealed class WorkFolder : IDisposable
    {
        private readonly string _root = Directory.CreateTempSubdirectory("readme-walk-through-").FullName;
        private int _attempts;

        public WorkFolder() => File.WriteAllText(State, "");

        public string State => Path.Combine(_root, "state");

        public string NewCallsFolder() => Directory.CreateDirectory(Path.Combine(_root, $"attempt-{++_attempts}")).FullName;

        public void Dispose() => Directory.Delete(_root, recursive: true);
    }
}

/// <summary>A step of the README's walk-through did not answer what the README says.</summary>
internal sealed class ReadmeStepFailed(string message) : Exception(message);
