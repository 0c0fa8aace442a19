using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Samskaping.Benefits.Nav;

namespace Samskaping.Benefits.Lookup;

// The NAV-style look-up contract (the simulator implements the other side, tools/Samskaping.NavSimulator/Benefits):
//   POST {Benefits:Nav:BaseUrl}/api/v1/ytelser/oppslag   Authorization: Bearer <client-credentials token>
//   {"personidenter": ["11 digits", ...]}                 — identity numbers in the body only, never in the URL
//   200 {"personer": [{"personident": "...", "ytelser": [{"type": "...", "belopPerManed": 1234.00, "fom": "2026-01-01", "tom": null}]}]}

/// <summary>A benefit as the benefit system reports it.</summary>
public sealed record NavBenefit(string Type, decimal? MonthlyAmount, DateOnly? From, DateOnly? To);

/// <summary>Why a look-up got no answer: a short code for machines and a sentence for people.</summary>
public sealed record NavFailure(string Reason, string Detail);

public static class NavFailures
{
    public const string Unavailable = "benefit-system-unavailable";
    public const string Timeout = "benefit-system-timeout";
    public const string CircuitOpen = "benefit-system-circuit-open";
    public const string BadAnswer = "benefit-system-bad-answer";
}

/// <summary>
/// One call to the benefit system's look-up for a set of identity numbers, bounded in time: a total timeout
/// (<c>Benefits:Nav:LookupTimeoutSeconds</c>), at most one quick retry, and a circuit breaker that stops asking for a
/// while when the other side keeps failing. Every way it can go wrong ends in a <see cref="NavFailure"/>, never an exception.
/// </summary>
public sealed class NavBenefitLookup(IHttpClientFactory clients, IOptions<NavOptions> options)
{
    public const string Path = "api/v1/ytelser/oppslag";

    /// <summary>Adds this look-up's resilience pipeline to the NAV look-up client.</summary>
    public static void AddResilience(IServiceCollection services) =>
        services.AddHttpClient(NavHttpClients.Lookup).AddResilienceHandler("nav-lookup", (pipeline, context) =>
        {
            var total = TimeSpan.FromSeconds(context.ServiceProvider.GetRequiredService<IOptions<NavOptions>>().Value.LookupTimeoutSeconds);
            pipeline
                .AddTimeout(total)
                .AddRetry(new Microsoft.Extensions.Http.Resilience.HttpRetryStrategyOptions
                {
                    // A look-up only reads, so repeating the POST is safe.
                    MaxRetryAttempts = 1,
                    Delay = TimeSpan.FromMilliseconds(200),
                    BackoffType = DelayBackoffType.Constant,
                    UseJitter = false,
                })
                .AddCircuitBreaker(new Microsoft.Extensions.Http.Resilience.HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.5,
                    MinimumThroughput = 4,
                    SamplingDuration = TimeSpan.FromSeconds(30),
                    BreakDuration = TimeSpan.FromSeconds(10),
                })
                // Each attempt gets a bit more than half the total, so a slow first attempt still leaves room for the retry.
                .AddTimeout(total * 0.6);
        });

    /// <summary>The benefits of each identity number asked for (an empty list for a person with none).</summary>
    public async Task<(IReadOnlyDictionary<string, IReadOnlyList<NavBenefit>>? Benefits, NavFailure? Failure)> Find(
        IReadOnlyCollection<string> identityNumbers, CancellationToken ct)
    {
        var timeoutSeconds = options.Value.LookupTimeoutSeconds;
        // A last bound in case the pipeline is ever registered inside the authentication handler (whose token request it would then not cover).
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds + 1));
        try
        {
            using var response = await clients.CreateClient(NavHttpClients.Lookup)
                .PostAsJsonAsync(Path, new LookupRequest(identityNumbers), Json, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                return (null, new NavFailure(NavFailures.Unavailable, $"The benefit system answered {(int)response.StatusCode} {response.ReasonPhrase}."));
            }
            var answer = await response.Content.ReadFromJsonAsync<LookupResponse>(Json, deadline.Token);
            if (answer?.Personer is not { } persons || persons.Any(p => p.Personident is null))
            {
                return (null, new NavFailure(NavFailures.BadAnswer, "The benefit system's answer did not have the expected shape."));
            }
            return (persons
                .GroupBy(p => p.Personident!)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<NavBenefit>)[.. g.SelectMany(p => p.Ytelser ?? [])
                    .Select(y => new NavBenefit(y.Type ?? "unknown", y.BelopPerManed, y.Fom, y.Tom))]), null);
        }
        catch (BrokenCircuitException)
        {
            return (null, new NavFailure(NavFailures.CircuitOpen,
                "The benefit system failed repeatedly just now, so it is not being asked for a short while."));
        }
        catch (Exception e) when (e is TimeoutRejectedException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return (null, new NavFailure(NavFailures.Timeout, $"The benefit system did not answer within {timeoutSeconds} seconds."));
        }
        catch (HttpRequestException e)
        {
            // The token request fails the same way (its status code, when it got an answer, is on the exception).
            return (null, new NavFailure(NavFailures.Unavailable, e.StatusCode is { } status
                ? $"The benefit system answered {(int)status} ({status})."
                : $"The benefit system could not be reached ({e.HttpRequestError switch
                {
                    HttpRequestError.ConnectionError => "connection refused or failed",
                    HttpRequestError.ResponseEnded => "the connection was dropped",
                    _ => "the connection failed or was dropped",
                }})."));
        }
        catch (JsonException)
        {
            return (null, new NavFailure(NavFailures.BadAnswer, "The benefit system's answer was not the JSON expected."));
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record LookupRequest([property: JsonPropertyName("personidenter")] IReadOnlyCollection<string> Personidenter);

    private sealed record LookupResponse(IReadOnlyList<LookupPerson>? Personer);

    private sealed record LookupPerson(string? Personident, IReadOnlyList<LookupBenefit>? Ytelser);

    private sealed record LookupBenefit(string? Type, decimal? BelopPerManed, DateOnly? Fom, DateOnly? Tom);
}
