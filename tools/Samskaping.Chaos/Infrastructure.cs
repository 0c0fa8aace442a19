using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Samskaping.Chaos;

/// <summary>
/// The suite's hands on the infrastructure: killing and restarting RabbitMQ and PostgreSQL goes through the
/// <c>samskaping</c> script (it knows the data folders, users and ports), databases through SQL.
/// </summary>
internal sealed class Infrastructure(ChaosEnvironment env)
{
    /// <summary>
    /// Runs <c>./samskaping __chaos ACTION [ARGUMENT…]</c>: rabbitmq-kill, rabbitmq-start, postgres-kill,
    /// postgres-start, postgres-backup DATABASE FILE, postgres-restore DATABASE FILE.
    /// </summary>
    public async Task Control(string action, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(env.Root, "samskaping"), ["__chaos", action, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not run ./samskaping");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"./samskaping __chaos {action} failed ({process.ExitCode}): {await output}{await errors}");
        }
    }

    /// <summary>
    /// Makes sure a run starts from a broker and a database that answer (a run before may have left either down):
    /// checks both, starts what does not answer, and checks again. Null when healthy, else what is wrong.
    /// </summary>
    public async Task<string?> EnsureHealthy(Broker broker)
    {
        var problem = await Unhealthy(broker);
        if (problem is null)
        {
            return null;
        }
        Console.WriteLine($"chaos: before the run: {problem}; starting PostgreSQL and RabbitMQ again");
        await Control("postgres-start");
        await Control("rabbitmq-start");
        NpgsqlConnection.ClearAllPools();
        return await Unhealthy(broker);
    }

    private async Task<string?> Unhealthy(Broker broker)
    {
        var problems = new List<string>();
        try
        {
            await using var connection = new NpgsqlConnection(env.Database("postgres"));
            var (fsync, synchronousCommit) = await connection.QuerySingleAsync<(string, string)>(
                "SELECT current_setting('fsync'), current_setting('synchronous_commit')");
            if (fsync != "on" || synchronousCommit != "on")
            {
                problems.Add($"PostgreSQL is not durable (fsync={fsync}, synchronous_commit={synchronousCommit}); run the suite as ./samskaping chaos");
            }
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            NpgsqlConnection.ClearAllPools();
            problems.Add($"PostgreSQL does not answer ({e.Message})");
        }
        if (await broker.Unhealthy() is { } brokerProblem)
        {
            problems.Add(brokerProblem);
        }
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    public async Task CreateDatabase(string name)
    {
        await using var connection = new NpgsqlConnection(env.Database("postgres"));
        await connection.ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        await connection.ExecuteAsync($"CREATE DATABASE \"{name}\"");
    }

    public async Task DropDatabase(string name)
    {
        await using var connection = new NpgsqlConnection(env.Database("postgres"));
        await connection.ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    public NpgsqlConnection Connect(string database) => new(env.Database(database));
}

/// <summary>The RabbitMQ management HTTP API: virtual hosts, queue depths, bindings and the error queues' messages.</summary>
internal sealed class Broker : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _user;
    private readonly Uri _amqp;

    public Broker(ChaosEnvironment env)
    {
        _amqp = env.RabbitMq;
        var credentials = Uri.UnescapeDataString(env.RabbitMq.UserInfo);
        _user = credentials.Split(':')[0];
        _http = new HttpClient { BaseAddress = env.Management, Timeout = TimeSpan.FromSeconds(10) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
    }

    /// <summary>Null when the node answers, has booted, raises no alarm and accepts AMQP connections; else what is wrong.</summary>
    public async Task<string?> Unhealthy()
    {
        try
        {
            using var alarms = await _http.GetAsync("api/health/checks/alarms");
            if (!alarms.IsSuccessStatusCode)
            {
                return $"RabbitMQ's management API answers {(int)alarms.StatusCode} to its alarm check";
            }
            using var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync(_amqp.Host, _amqp.Port).WaitAsync(TimeSpan.FromSeconds(5));
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return $"RabbitMQ does not answer ({e.Message})";
        }
    }

    public async Task CreateVhost(string vhost)
    {
        await DeleteVhost(vhost);
        (await _http.PutAsync($"api/vhosts/{Uri.EscapeDataString(vhost)}", null)).EnsureSuccessStatusCode();
        (await _http.PutAsJsonAsync($"api/permissions/{Uri.EscapeDataString(vhost)}/{_user}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
    }

    public async Task DeleteVhost(string vhost)
    {
        try
        {
            await _http.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(vhost)}");
        }
        catch (HttpRequestException)
        {
            // Already gone with the node, or the node is down: nothing to clean.
        }
    }

    public sealed record Queue(string Name, int Messages, int Unacknowledged);

    public async Task<IReadOnlyList<Queue>> Queues(string vhost)
    {
        var body = await _http.GetFromJsonAsync<JsonElement>($"api/queues/{Uri.EscapeDataString(vhost)}?columns=name,messages,messages_unacknowledged");
        return body.EnumerateArray().Select(q => new Queue(
            q.GetProperty("name").GetString()!,
            q.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt32() : 0,
            q.TryGetProperty("messages_unacknowledged", out var u) && u.ValueKind == JsonValueKind.Number ? u.GetInt32() : 0)).ToList();
    }

    /// <summary>How many consumers each queue of the virtual host has.</summary>
    public async Task<IReadOnlyDictionary<string, int>> Consumers(string vhost)
    {
        var body = await _http.GetFromJsonAsync<JsonElement>($"api/queues/{Uri.EscapeDataString(vhost)}?columns=name,consumers");
        return body.EnumerateArray().ToDictionary(
            q => q.GetProperty("name").GetString()!,
            q => q.TryGetProperty("consumers", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 0);
    }

    /// <summary>
    /// The message types a MassTransit receive endpoint consumes: its queue is fed by an exchange of the same name,
    /// which is bound to one exchange per message type ("Namespace:Type").
    /// </summary>
    public async Task<IReadOnlySet<string>> ConsumedTypes(string vhost, string queue)
    {
        var response = await _http.GetAsync($"api/exchanges/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(queue)}/bindings/destination");
        if (!response.IsSuccessStatusCode)
        {
            return new HashSet<string>();
        }
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.EnumerateArray().Select(b => b.GetProperty("source").GetString()!).Where(s => s.Length > 0).ToHashSet();
    }

    public sealed record DeadLetter(Guid? MessageId, string? FaultExceptionType, string? FaultMessage);

    /// <summary>Reads (and requeues) up to <paramref name="count"/> messages of a queue, with MassTransit's fault headers.</summary>
    public async Task<IReadOnlyList<DeadLetter>> Peek(string vhost, string queue, int count)
    {
        var response = await _http.PostAsJsonAsync($"api/queues/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(queue)}/get",
            new { count, ackmode = "ack_requeue_true", encoding = "auto", truncate = 100 });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.EnumerateArray().Select(m =>
        {
            var properties = m.GetProperty("properties");
            Guid? id = properties.TryGetProperty("message_id", out var mid) && Guid.TryParse(mid.GetString(), out var g) ? g : null;
            string? Header(string name) =>
                properties.TryGetProperty("headers", out var h) && h.TryGetProperty(name, out var v) ? v.ToString() : null;
            return new DeadLetter(id, Header("MT-Fault-ExceptionType"), Header("MT-Fault-Message"));
        }).ToList();
    }

    public void Dispose() => _http.Dispose();
}
