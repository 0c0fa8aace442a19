using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Samskaping.ServiceDefaults;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests;

/// <summary>
/// Small answers leave a service whole, with <c>Content-Length</c>, instead of chunked (one write instead of two);
/// long ones still stream, and nothing an endpoint does changes what the caller receives. A real Kestrel on loopback,
/// because chunking is what the server does on the wire.
/// </summary>
public sealed class BufferedResponsesTests : IAsyncLifetime, IDisposable
{
    private const int Limit = 1024;
    private static readonly string[] Goals = ["fotball", "leksehjelp"];
    private static readonly string[] Parts = ["a", "b", "c"];

    private WebApplication app = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "BufferedResponsesTests" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddProblemDetails();
        builder.Services.Configure<BufferedResponseOptions>(o => o.MaxBytes = Limit);
        app = builder.Build();
        app.UseExceptionHandler();
        app.UseBufferedResponses();
        app.UseStatusCodePages();

        app.MapGet("/small", () => TypedResults.Ok(new { name = "Familien Hansen", goals = Goals }));
        // Three flushed writes of 600 bytes: the second passes the limit.
        app.MapGet("/long", async (HttpContext context) =>
        {
            foreach (var letter in "xyz")
            {
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(new string(letter, 600)));
                await context.Response.Body.FlushAsync();
            }
        });
        app.MapGet("/problem", () => TypedResults.Problem(statusCode: 409, title: "Already closed."));
        app.MapGet("/empty-404", () => TypedResults.NotFound());
        app.MapGet("/fails-after-writing", async (HttpContext context) =>
        {
            await context.Response.BodyWriter.WriteAsync(Encoding.UTF8.GetBytes("{\"half\":"));
            throw new InvalidOperationException("the endpoint failed half-way");
        });
        app.MapGet("/own-length", async (HttpContext context) =>
        {
            context.Response.ContentLength = 5;
            await context.Response.BodyWriter.WriteAsync(Encoding.UTF8.GetBytes("hello"));
        });
        app.MapGet("/started", async (HttpContext context) =>
        {
            await context.Response.StartAsync();
            await context.Response.BodyWriter.WriteAsync(Encoding.UTF8.GetBytes("streamed"));
        });
        app.MapGet("/stream-writes", async (HttpContext context) =>
        {
            foreach (var part in Parts)
            {
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(part));
                await context.Response.Body.FlushAsync();
            }
        });
        app.MapGet("/completed", async (HttpContext context) =>
        {
            await context.Response.BodyWriter.WriteAsync(Encoding.UTF8.GetBytes("done"));
            await context.Response.CompleteAsync();
            await context.Response.BodyWriter.WriteAsync(Encoding.UTF8.GetBytes("never"));
        });

        await app.StartAsync();
        client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    public void Dispose() => client.Dispose();

    // Headers as sent: with the body read ahead, HttpClient would compute a Content-Length of its own.
    private Task<HttpResponseMessage> Get(string path) => client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);

    [Fact]
    public async Task A_small_JSON_answer_goes_out_whole_with_its_length()
    {
        using var response = await Get("/small");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.TransferEncodingChunked.ShouldNotBe(true);
        var body = await response.Content.ReadAsByteArrayAsync();
        response.Content.Headers.ContentLength.ShouldBe(body.Length);
        JsonDocument.Parse(body).RootElement.GetProperty("name").GetString().ShouldBe("Familien Hansen");
    }

    [Fact]
    public async Task A_problem_answer_has_its_length_too()
    {
        using var response = await Get("/problem");

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var body = await response.Content.ReadAsByteArrayAsync();
        response.Content.Headers.ContentLength.ShouldBe(body.Length);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        JsonDocument.Parse(body).RootElement.GetProperty("title").GetString().ShouldBe("Already closed.");
    }

    [Fact]
    public async Task An_answer_longer_than_the_limit_streams_and_arrives_complete_in_order()
    {
        using var response = await Get("/long");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.TransferEncodingChunked.ShouldBe(true);
        response.Content.Headers.ContentLength.ShouldBeNull();
        (await response.Content.ReadAsStringAsync()).ShouldBe(new string('x', 600) + new string('y', 600) + new string('z', 600));
    }

    [Fact]
    public async Task An_empty_error_gets_the_status_code_pages_problem_whole()
    {
        using var response = await Get("/empty-404");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Headers.TransferEncodingChunked.ShouldNotBe(true);
        response.Content.Headers.ContentLength.ShouldNotBeNull();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("status").GetInt32().ShouldBe(404);
    }

    [Fact]
    public async Task What_was_written_before_a_failure_is_dropped_and_the_problem_answer_is_clean()
    {
        using var response = await Get("/fails-after-writing");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldNotContain("half");
        JsonDocument.Parse(text).RootElement.GetProperty("status").GetInt32().ShouldBe(500);
    }

    [Fact]
    public async Task A_length_the_endpoint_set_itself_is_kept()
    {
        using var response = await Get("/own-length");

        response.Content.Headers.ContentLength.ShouldBe(5);
        (await response.Content.ReadAsStringAsync()).ShouldBe("hello");
    }

    [Fact]
    public async Task An_answer_the_endpoint_starts_itself_goes_out_as_it_is_written()
    {
        using var response = await Get("/started");

        response.Headers.TransferEncodingChunked.ShouldBe(true);
        (await response.Content.ReadAsStringAsync()).ShouldBe("streamed");
    }

    [Fact]
    public async Task Flushed_stream_writes_under_the_limit_are_sent_together()
    {
        using var response = await Get("/stream-writes");

        response.Content.Headers.ContentLength.ShouldBe(3);
        (await response.Content.ReadAsStringAsync()).ShouldBe("abc");
    }

    [Fact]
    public async Task An_answer_the_endpoint_completes_itself_is_sent_then_and_once()
    {
        using var response = await Get("/completed");

        response.Content.Headers.ContentLength.ShouldBe(4);
        (await response.Content.ReadAsStringAsync()).ShouldBe("done");
    }
}
