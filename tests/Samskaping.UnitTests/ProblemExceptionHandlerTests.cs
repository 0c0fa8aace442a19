using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Samskaping.ServiceDefaults;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests;

/// <summary>A database that cannot be reached for now is the service being unavailable (503), not a fault (500).</summary>
public sealed class ProblemExceptionHandlerTests
{
    public static TheoryData<string, Exception> Unavailable => new()
    {
        { "connection refused", new NpgsqlException("Failed to connect to 127.0.0.1:5432", new IOException("Connection refused")) },
        { "too many connections (53300)", new PostgresException("sorry, too many clients already", "FATAL", "FATAL", "53300") },
        { "server restarting (57P03)", new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03") },
        { "pool exhausted", new NpgsqlException("The connection pool has been exhausted", new TimeoutException()) },
        { "wrapped by the caller", new InvalidOperationException("reading the case failed", new NpgsqlException("Exception while reading from stream", new IOException())) },
    };

    [Theory]
    [MemberData(nameof(Unavailable))]
    public async Task A_database_that_cannot_be_reached_is_503_with_Retry_After(string what, Exception exception)
    {
        var (context, body) = await Handle(exception);

        context.Response.StatusCode.ShouldBe(StatusCodes.Status503ServiceUnavailable, what);
        context.Response.Headers.RetryAfter.ToString().ShouldBe("5");
        body.GetProperty("status").GetInt32().ShouldBe(503);
        body.GetProperty("title").GetString()!.ShouldContain("database");
    }

    [Fact]
    public async Task A_constraint_the_code_broke_is_still_a_500_without_internals()
    {
        var (context, body) = await Handle(new PostgresException("duplicate key value violates unique constraint \"cases_pkey\"", "ERROR", "ERROR", "23505"));

        context.Response.StatusCode.ShouldBe(StatusCodes.Status500InternalServerError);
        context.Response.Headers.ContainsKey("Retry-After").ShouldBeFalse();
        body.GetRawText().ShouldNotContain("cases_pkey");
    }

    [Fact]
    public async Task Anything_else_unexpected_is_a_500()
    {
        var (context, _) = await Handle(new InvalidOperationException("a bug"));

        context.Response.StatusCode.ShouldBe(StatusCodes.Status500InternalServerError);
    }

    private static async Task<(HttpContext Context, JsonElement Body)> Handle(Exception exception)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "GET";
        context.Request.Path = "/api/cases/0198c2a4-0000-7000-8000-000000000001";
        context.Response.Body = new MemoryStream();
        var handler = new ProblemExceptionHandler(services.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>(),
            NullLogger<ProblemExceptionHandler>.Instance);

        (await handler.TryHandleAsync(context, exception, CancellationToken.None)).ShouldBeTrue();

        context.Response.Body.Position = 0;
        return (context, (await JsonDocument.ParseAsync(context.Response.Body)).RootElement.Clone());
    }
}
