using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Samskaping.IntegrationTests.Infrastructure;

/// <summary>
/// A RabbitMQ virtual host of the test's own, made and deleted through the management API: its exchanges and
/// queues see no other test's messages, and nothing is left in the broker afterwards.
/// </summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    private readonly HttpClient _management;

    private TestVirtualHost(string name, HttpClient management)
    {
        Name = name;
        _management = management;
        var uri = new UriBuilder(TestEnvironment.RabbitMq) { Path = "/" + Uri.EscapeDataString(name) };
        AmqpUri = uri.Uri.ToString();
    }

    public string Name { get; }

    /// <summary>The amqp:// address of this virtual host, for <c>ConnectionStrings:RabbitMq</c>.</summary>
    public string AmqpUri { get; }

    public static async Task<TestVirtualHost> Create(string prefix)
    {
        var management = new HttpClient { BaseAddress = TestEnvironment.RabbitMqManagement };
        var amqp = new Uri(TestEnvironment.RabbitMq);
        var credentials = Uri.UnescapeDataString(amqp.UserInfo);
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        var name = TestEnvironment.UniqueName(prefix);
        (await management.PutAsync($"api/vhosts/{name}", null)).EnsureSuccessStatusCode();
        var user = credentials.Split(':')[0];
        (await management.PutAsJsonAsync($"api/permissions/{name}/{user}", new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return new TestVirtualHost(name, management);
    }

    /// <summary>Messages waiting in a queue of this virtual host (the management API's view, refreshed every few seconds).</summary>
    public async Task<int> MessagesIn(string queue)
    {
        var response = await _management.GetAsync($"api/queues/{Name}/{queue}");
        if (!response.IsSuccessStatusCode)
        {
            return 0;
        }
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return body.TryGetProperty("messages", out var messages) ? messages.GetInt32() : 0;
    }

    /// <summary>The queue's type as the broker reports it: "quorum" or "classic".</summary>
    public async Task<string?> QueueType(string queue)
    {
        var body = await _management.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/queues/{Name}/{queue}");
        return body.TryGetProperty("type", out var type) ? type.GetString() : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _management.DeleteAsync($"api/vhosts/{Name}");
        _management.Dispose();
    }
}
