using System.ComponentModel.DataAnnotations;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Samskaping.NavSimulator.Tokens;

namespace Samskaping.NavSimulator.Inbound;

/// <summary>Where and how the simulator sends inbound notifications (section <c>NavSimulator:Inbound</c>).</summary>
public sealed class InboundSenderOptions
{
    public const string Section = "NavSimulator:Inbound";

    /// <summary>The full URL of the receiving endpoint: benefits' or the gateway's <c>/api/benefits/inbound</c>.</summary>
    public string? TargetUrl { get; set; }

    /// <summary>The audience of the tokens it presents (the receiver's <c>Benefits:Inbound:Audience</c>).</summary>
    [Required] public string Audience { get; set; } = "samskaping-benefits-inbound";

    /// <summary>The scope of those tokens (the receiver's <c>Benefits:Inbound:Scope</c>).</summary>
    [Required] public string Scope { get; set; } = "samskaping:benefits.inbound";

    [Range(1, 300)] public int TimeoutSeconds { get; set; } = 30;
}

/// <summary>POST /simulator/inbound: what to tell the receiver. eventId and occurredAt default to a new id and now.</summary>
public sealed record SendInbound(
    string? PersonIdent, string? Benefit, string? Status, decimal? MonthlyAmount, DateOnly? From, DateOnly? To,
    DateTimeOffset? OccurredAt, string? EventId);

/// <summary>What the receiver answered.</summary>
public sealed record InboundSent(string EventId, string SentTo, int Status, JsonElement? Answer);

/// <summary>
/// The benefit system's side of inbound notifications: the simulator signs a token of its own issuer for the
/// receiver's audience and scope and posts the notification, as the real system would. Sending the same eventId
/// twice is allowed on purpose, to show the receiver is idempotent. The body is passed on as given (not validated
/// here), so the receiver's own validation can be seen.
/// </summary>
public static class InboundSender
{
    public const string Client = "inbound-sender";

    public static IServiceCollection AddInboundSender(this IServiceCollection services)
    {
        services.AddOptions<InboundSenderOptions>().BindConfiguration(InboundSenderOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(Client);
        services.AddSingleton<SentEvents>();
        return services;
    }

    public static void MapInboundSender(this IEndpointRouteBuilder app) =>
        app.MapPost("/simulator/inbound", Send)
            .AllowAnonymous()
            .WithTags("Simulator control")
            .WithSummary("Send an inbound notification (granted/changed/stopped) to NavSimulator:Inbound:TargetUrl; answers what the receiver said")
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    internal static async Task<IResult> Send(
        SendInbound request, TokenIssuer tokens, IHttpClientFactory clients, IOptions<InboundSenderOptions> options, TimeProvider clock,
        SentEvents sent, CancellationToken ct)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.TargetUrl) || !Uri.TryCreate(o.TargetUrl, UriKind.Absolute, out var target))
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "No receiver is configured.",
                detail: "Set NavSimulator:Inbound:TargetUrl to the receiver's /api/benefits/inbound URL.");
        }
        var eventId = request.EventId ?? Guid.NewGuid().ToString();
        var (token, _) = tokens.Issue("nav-inbound-sender", o.Audience, o.Scope);
        using var message = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Content = JsonContent.Create(new
            {
                eventId,
                personIdent = request.PersonIdent,
                benefit = request.Benefit,
                status = request.Status,
                monthlyAmount = request.MonthlyAmount,
                from = request.From,
                to = request.To,
                // A repeat of an eventId without its own occurredAt repeats the first one's: the same notification again.
                occurredAt = request.OccurredAt ?? sent.FirstOccurredAt(eventId, clock.GetUtcNow()),
            }),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(o.TimeoutSeconds));
        try
        {
            using var response = await clients.CreateClient(Client).SendAsync(message, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            JsonElement? answer = null;
            if (text.Length > 0)
            {
                try
                {
                    answer = JsonDocument.Parse(text).RootElement.Clone();
                }
                catch (JsonException)
                {
                    answer = JsonSerializer.SerializeToElement(text);
                }
            }
            return Results.Ok(new InboundSent(eventId, target.ToString(), (int)response.StatusCode, answer));
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The receiver did not answer.",
                detail: $"Posting to {target} failed: {(e is HttpRequestException ? "could not connect or the connection broke" : "timed out")}.");
        }
    }
}

/// <summary>When each eventId was first sent, so sending it again repeats the notification exactly.</summary>
public sealed class SentEvents
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _first = new(StringComparer.Ordinal);

    public DateTimeOffset FirstOccurredAt(string eventId, DateTimeOffset now) => _first.GetOrAdd(eventId, now);
}
