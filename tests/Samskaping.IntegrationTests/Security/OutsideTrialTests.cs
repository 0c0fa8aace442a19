using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Security;

/// <summary>
/// What an outside test of the system found ("Trust: what broke when the system was tried from outside"), one
/// regression test each: every one of these answered a 500, or an answer that was not problem details, before it was
/// fixed at its cause in the service defaults, so each holds for every service.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class OutsideTrialTests(SystemFixture system)
{
    [Theory]
    [InlineData("cases", "POST /api/cases")]
    [InlineData("coordination", "POST /api/coordination/sectors")]
    [InlineData("grants", "POST /api/grants/funds")]
    [InlineData("outcomes", "POST /api/outcomes/cases/{id}/measurements/{id}/responses")]
    [InlineData("benefits", "POST /api/benefits/inbound")]
    public async Task Every_service_answers_its_refusals_as_problem_details_to_a_browser(string service, string operation)
    {
        using var direct = new HttpClient { BaseAddress = system.Address(service) };
        // What a browser asks for when it follows a link: no JSON, no */*.
        direct.DefaultRequestHeaders.TryAddWithoutValidation("Accept", "text/html");
        var worker = new AuthenticationHeaderValue("Bearer", Tokens.For("oppvekst", "caseworker", "kari-browser"));
        var analyst = new AuthenticationHeaderValue("Bearer", Tokens.For("oppvekst", "analyst", "analyst-browser"));
        operation = operation.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
        using var textBody = Request(operation, worker);
        textBody.Content = new StringContent("{}", Encoding.UTF8, "text/plain");

        await ShouldBeProblem(await direct.SendAsync(Request($"GET /api/{service}/nothing-here")), HttpStatusCode.Unauthorized);
        await ShouldBeProblem(await direct.SendAsync(Request($"GET /api/{service}/nothing/here/at/all", worker)), HttpStatusCode.NotFound);
        await ShouldBeProblem(await direct.SendAsync(Request($"GET /api/{service}/x?q=a%00b", worker)), HttpStatusCode.BadRequest);
        await ShouldBeProblem(await direct.SendAsync(Request("DELETE" + operation[operation.IndexOf(' ', StringComparison.Ordinal)..], worker)), HttpStatusCode.MethodNotAllowed);
        await ShouldBeProblem(await direct.SendAsync(textBody), HttpStatusCode.UnsupportedMediaType);
        using var notAllowed = Request(operation, analyst);
        notAllowed.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        // The inbound endpoint takes the benefit system's token only: a staff token there is not accepted at all.
        await ShouldBeProblem(await direct.SendAsync(notAllowed), service == "benefits" ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden);
    }

    /// <summary>"POST /api/cases" as a request, with a bearer token if one is given.</summary>
    private static HttpRequestMessage Request(string operation, AuthenticationHeaderValue? token = null)
    {
        var (method, path) = (operation[..operation.IndexOf(' ', StringComparison.Ordinal)], operation[(operation.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        return new HttpRequestMessage(new HttpMethod(method), path) { Headers = { Authorization = token } };
    }

    private static async Task ShouldBeProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", $"{(int)status}: {text}");
        var problem = JsonDocument.Parse(text).RootElement;
        problem.GetProperty("status").GetInt32().ShouldBe((int)status);
        problem.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
    }
}
