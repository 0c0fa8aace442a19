using System.Net;
using System.Text.Json;

namespace Samskaping.Gateway.Tests;

public static class Problems
{
    /// <summary>
    /// Asserts an RFC 9457 answer: the status, <c>application/problem+json</c>, a body whose status matches and whose
    /// title contains <paramref name="titlePart"/>. Returns the body for further checks.
    /// </summary>
    public static async Task<JsonElement> ShouldBeProblem(this HttpResponseMessage response, HttpStatusCode status, string titlePart)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);

        var problem = JsonDocument.Parse(text).RootElement.Clone();
        problem.GetProperty("status").GetInt32().ShouldBe((int)status);
        problem.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
        problem.GetProperty("title").GetString()!.ShouldContain(titlePart, Case.Insensitive);
        text.ShouldNotContain("   at ", customMessage: "no stack trace may leave the gateway");
        return problem;
    }

    public static async Task<EchoedRequest> ShouldBeEcho(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonSerializer.Deserialize<EchoedRequest>(text, JsonSerializerOptions.Web)!;
    }
}
