using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Samskaping.Benefits.Nav;

namespace Samskaping.Benefits.Feed;

public static class FeedModule
{
    /// <summary>The Digisos status feed: the projection of cases' and grants' events into documents, and their delivery.</summary>
    public static IHostApplicationBuilder AddStatusFeed(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FeedOptions>()
            .BindConfiguration(FeedOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<FeedFactStore>();
        builder.Services.AddSingleton<FeedProjection>();
        builder.Services.AddSingleton<DigisosClient>();

        // The feed's own pipeline on the Digisos client: retries with exponential backoff and jitter on 5xx, 408, 429,
        // timeouts and connection errors; a circuit breaker so a down receiver is not hammered; a timeout per attempt.
        builder.Services.AddHttpClient(NavHttpClients.Digisos).AddResilienceHandler("digisos-delivery", (pipeline, context) =>
        {
            var feed = context.ServiceProvider.GetRequiredService<IOptions<FeedOptions>>().Value;
            var nav = context.ServiceProvider.GetRequiredService<IOptions<NavOptions>>().Value;
            var retry = new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(feed.Retries, 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
            };
            var handled = retry.ShouldHandle;
            retry.ShouldHandle = args =>
                // Creating a case is not idempotent: after a timeout or a lost connection it may have been created, so
                // only an answer that says it was not (5xx, 408, 429) is retried at once.
                feed.Retries == 0 || (args.Outcome.Exception is not null && IsCaseCreation(args.Context.GetRequestMessage()))
                    ? PredicateResult.False()
                    : handled(args);
            pipeline
                .AddRetry(retry)
                .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.5,
                    MinimumThroughput = 4,
                    SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, 2 * nav.DeliveryTimeoutSeconds)),
                    BreakDuration = TimeSpan.FromSeconds(feed.BreakSeconds),
                })
                .AddTimeout(TimeSpan.FromSeconds(nav.DeliveryTimeoutSeconds));
        });

        if (builder.Configuration.GetValue($"{FeedOptions.Section}:{nameof(FeedOptions.DeliveryEnabled)}", true))
        {
            builder.Services.AddHostedService<FeedDelivery>();
        }
        return builder;
    }

    private static bool IsCaseCreation(HttpRequestMessage? request) =>
        request?.RequestUri?.AbsolutePath.EndsWith("/ny", StringComparison.Ordinal) == true;
}
