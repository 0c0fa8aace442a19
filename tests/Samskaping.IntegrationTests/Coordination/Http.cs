using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;

namespace Samskaping.IntegrationTests.Coordination;

internal static class Http
{
    public static async Task<JsonElement> Expect(this Task<HttpResponseMessage> call, HttpStatusCode status, string? because = null)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, $"{because} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A problem details answer with <paramref name="status"/>, never a stack trace.</summary>
    public static async Task<JsonElement> ExpectProblem(this Task<HttpResponseMessage> call, HttpStatusCode status, string? because = null)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, $"{because} {text}");
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", $"{because} {text}");
        text.ShouldNotContain("   at ", customMessage: "no stack trace");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> Post(this HttpClient client, string path, object body) => client.PostAsJsonAsync(path, body);

    public static Task<HttpResponseMessage> PostEmpty(this HttpClient client, string path) => client.PostAsync(path, null);

    public static IEnumerable<string?> Strings(this JsonElement array, string property) =>
        array.EnumerateArray().Select(e => e.GetProperty(property).GetString());
}
