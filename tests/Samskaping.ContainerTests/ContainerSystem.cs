using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.DevTokens;
using Samskaping.ServiceDefaults;
using Shouldly;
using Xunit;

namespace Samskaping.ContainerTests;

/// <summary>
/// The chart's workloads as tools/samskaping/containers.sh started them: the gateway container's address, the NAV-style
/// simulator container's (for what it received), and the signing key of the run's <c>samskaping-auth</c> Secret.
/// </summary>
public sealed class ContainerSystem : IDisposable
{
    public const string Issuer = "samskaping-dev";
    public const string Audience = "samskaping";

    public ContainerSystem()
    {
        Gateway = new HttpClient { BaseAddress = Required("SAMSKAPING_CONTAINERS_GATEWAY"), Timeout = TimeSpan.FromSeconds(30) };
        Simulator = new HttpClient { BaseAddress = Required("SAMSKAPING_CONTAINERS_SIMULATOR"), Timeout = TimeSpan.FromSeconds(30) };
        SigningKey = Environment.GetEnvironmentVariable("SAMSKAPING_CONTAINERS_SIGNING_KEY")
            ?? throw new InvalidOperationException("SAMSKAPING_CONTAINERS_SIGNING_KEY is not set: run ./samskaping containers");
    }

    public HttpClient Gateway { get; }

    public HttpClient Simulator { get; }

    private string SigningKey { get; }

    public string Token(string sector, string role, string subject) =>
        new DevToken(SigningKey, Issuer, Audience, role, sector) { Subject = subject, Name = subject }.Mint();

    public static HttpRequestMessage Request(HttpMethod method, string path, string token, object? body = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, path.TrimStart('/'));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return request;
    }

    public async Task<(int Status, JsonElement Body)> Send(HttpMethod method, string path, string token, object? body = null, string? idempotencyKey = null)
    {
        using var request = Request(method, path, token, body, idempotencyKey);
        using var response = await Gateway.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Asks until the answer satisfies <paramref name="done"/>; events cross the broker in moments, not at once.</summary>
    public static async Task<T> Eventually<T>(Func<Task<T>> ask, Func<T, bool> done, string what, int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var answer = await ask();
            if (done(answer))
            {
                return answer;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException($"{what}: not within {seconds} s; last answer: {answer}");
            }
            await Task.Delay(500);
        }
    }

    /// <summary>A synthetic adult's identity number with valid check digits (the applicant of a Digisos case).</summary>
    public static string AdultIdentityNumber()
    {
        while (true)
        {
            var birth = new DateOnly(1975, 1, 1).AddDays(Random.Shared.Next(0, 20 * 365));
            var nine = $"{birth.Day:00}{birth.Month:00}{birth.Year % 100:00}{Random.Shared.Next(0, 500):000}";
            if (IdentityNumber.WithCheckDigits(nine) is { } number)
            {
                return number;
            }
        }
    }

    public void Dispose()
    {
        Gateway.Dispose();
        Simulator.Dispose();
    }

    private static Uri Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? new Uri(value)
            : throw new InvalidOperationException($"{name} is not set: the smoke suite runs against the containers of ./samskaping containers");
}

[CollectionDefinition(Name)]
public sealed class ContainerCollection : ICollectionFixture<ContainerSystem>
{
    public const string Name = "containers";
}
