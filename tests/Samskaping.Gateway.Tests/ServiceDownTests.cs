using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Samskaping.Gateway.Tests;

/// <summary>A gateway whose benefits service does not listen.</summary>
public sealed class BenefitsDownFixture : IAsyncLifetime
{
    public GatewayFixture Shared { get; } = new();

    public GatewayHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Shared.InitializeAsync();
        Gateway = Shared.StartGateway(down: "benefits");
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Shared.DisposeAsync();
    }
}

public sealed class ServiceDownTests(BenefitsDownFixture fixture) : IClassFixture<BenefitsDownFixture>
{
    [Fact]
    public async Task A_service_that_is_down_is_502_problem_details_naming_it()
    {
        using var client = fixture.Gateway.Client(fixture.Shared.Tokens.For("admin", ""));

        var response = await client.GetAsync("/api/benefits/households/1");

        var problem = await response.ShouldBeProblem(HttpStatusCode.BadGateway, "benefits service is unavailable");
        problem.GetProperty("service").GetString().ShouldBe("benefits");
    }

    [Fact]
    public async Task The_failure_is_logged_as_a_warning_under_the_callers_correlation_id()
    {
        using var client = fixture.Gateway.Client(fixture.Shared.Tokens.For("admin", ""));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/benefits/households/2");
        request.Headers.Add("X-Correlation-Id", "benefits-down-ticket-7");

        var response = await client.SendAsync(request);

        response.Headers.GetValues("X-Correlation-Id").ShouldBe(["benefits-down-ticket-7"]);
        fixture.Gateway.Logs.Entries.ShouldContain(e =>
            e.Level == LogLevel.Warning
            && e.Message.Contains("benefits", StringComparison.Ordinal)
            && Equals(e.Scope.GetValueOrDefault("CorrelationId"), "benefits-down-ticket-7"));
    }

    [Fact]
    public async Task The_other_services_still_answer_when_one_is_down()
    {
        using var client = fixture.Gateway.Client(fixture.Shared.Tokens.For("caseworker"));

        (await (await client.GetAsync("/api/cases/x")).ShouldBeEcho()).Path.ShouldBe("/api/cases/x");
    }

    [Fact]
    public async Task Ready_is_503_naming_the_service_that_is_down()
    {
        using var client = fixture.Gateway.Client();

        var response = await client.GetAsync("/health/ready");

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, body);
        var checks = JsonDocument.Parse(body).RootElement.GetProperty("checks");
        checks.GetProperty("benefits").GetProperty("status").GetString().ShouldBe("Unhealthy");
        checks.GetProperty("cases").GetProperty("status").GetString().ShouldBe("Healthy");
        body.ShouldNotContain("127.0.0.1", customMessage: "the public probe answer must not reveal internal addresses");
    }

    [Fact]
    public async Task Live_is_200_while_the_process_runs_even_when_a_service_is_down()
    {
        using var client = fixture.Gateway.Client();

        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_service_that_does_not_answer_in_time_is_504_problem_details_naming_it()
    {
        await using var gateway = fixture.Shared.StartGateway(new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:grants:HttpRequest:ActivityTimeout"] = "00:00:00.200",
        });
        using var client = gateway.Client(fixture.Shared.Tokens.For("caseworker"));

        var response = await client.GetAsync("/api/grants/never");

        var problem = await response.ShouldBeProblem(HttpStatusCode.GatewayTimeout, "grants service did not answer in time");
        problem.GetProperty("service").GetString().ShouldBe("grants");
    }

    [Fact]
    public async Task A_caller_who_hangs_up_is_logged_as_information_in_one_line_without_an_exception()
    {
        using var client = fixture.Gateway.Client(fixture.Shared.Tokens.For("caseworker"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/grants/never");
        request.Headers.Add("X-Correlation-Id", "caller-hung-up-3");
        using var hangUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Should.ThrowAsync<TaskCanceledException>(() => client.SendAsync(request, hangUp.Token));

        LogEntry? logged = null;
        for (var i = 0; i < 100 && logged is null; i++)
        {
            await Task.Delay(50);
            logged = fixture.Gateway.Logs.Entries.FirstOrDefault(e =>
                e.Category == "Samskaping.Gateway.ProxyProblems" && Equals(e.Scope.GetValueOrDefault("CorrelationId"), "caller-hung-up-3"));
        }
        logged.ShouldNotBeNull("the gateway logs the forward the caller ended");
        logged.Level.ShouldBe(LogLevel.Information);
        logged.Message.ShouldBe("The request to grants ended on the caller's side: RequestCanceled");
        logged.Exception.ShouldBeNull("a caller hanging up is not a fault: no stack trace in the log");
    }
}
