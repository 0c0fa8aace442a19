using System.Text.Json.Serialization;

namespace Samskaping.NavSimulator.Faults;

/// <summary>How the simulator misbehaves on its NAV-side API (never on <c>/simulator/*</c> or health).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FaultMode>))]
public enum FaultMode
{
    /// <summary>Answer normally.</summary>
    None,

    /// <summary>Answer 503 Service Unavailable.</summary>
    Unavailable,

    /// <summary>Wait <see cref="FaultSettings.DelayMilliseconds"/>, then answer normally.</summary>
    Slow,

    /// <summary>Drop the connection without an answer.</summary>
    Drop,
}

/// <summary>A fault switched on at run time.</summary>
/// <param name="Rate">Share of requests affected, 0–1 (1 = all).</param>
/// <param name="DurationSeconds">Switch back to normal after this long; null = until changed.</param>
/// <param name="Seed">Seeds the choice of affected requests, so a run is reproducible.</param>
public sealed record FaultSettings(FaultMode Mode, double Rate = 1.0, int DelayMilliseconds = 0, int? DurationSeconds = null, int? Seed = null);

/// <summary>The current fault and counters of what it did. Thread-safe; one per process.</summary>
public sealed class FaultInjection(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private FaultSettings _settings = new(FaultMode.None);
    private DateTimeOffset? _until;
    private Random _random = new();
    private long _affected;
    private long _passed;

    public FaultStatus Status
    {
        get
        {
            lock (_gate)
            {
                ExpireIfDue();
                return new FaultStatus(_settings, _until, _affected, _passed);
            }
        }
    }

    public void Set(FaultSettings settings)
    {
        lock (_gate)
        {
            _settings = settings;
            _until = settings.DurationSeconds is { } seconds ? clock.GetUtcNow().AddSeconds(seconds) : null;
            _random = settings.Seed is { } seed ? new Random(seed) : new Random();
            _affected = 0;
            _passed = 0;
        }
    }

    /// <summary>The fault to apply to the request now starting (None when it should pass).</summary>
    public (FaultMode Mode, int DelayMilliseconds) Next()
    {
        lock (_gate)
        {
            ExpireIfDue();
            if (_settings.Mode == FaultMode.None || _random.NextDouble() >= _settings.Rate)
            {
                _passed++;
                return (FaultMode.None, 0);
            }
            _affected++;
            return (_settings.Mode, _settings.DelayMilliseconds);
        }
    }

    private void ExpireIfDue()
    {
        if (_until is { } until && clock.GetUtcNow() >= until)
        {
            _settings = new FaultSettings(FaultMode.None);
            _until = null;
        }
    }
}

public sealed record FaultStatus(FaultSettings Settings, DateTimeOffset? Until, long Affected, long Passed);

public static class FaultEndpoints
{
    /// <summary>Applies the current fault to every request except the simulator's own control and health endpoints.</summary>
    public static IApplicationBuilder UseFaultInjection(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/simulator") || path.StartsWithSegments("/health"))
        {
            await next(context);
            return;
        }
        var (mode, delay) = context.RequestServices.GetRequiredService<FaultInjection>().Next();
        switch (mode)
        {
            case FaultMode.Unavailable:
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "1";
                await context.Response.WriteAsync("Simulated outage.", context.RequestAborted);
                return;
            case FaultMode.Drop:
                context.Abort();
                return;
            case FaultMode.Slow:
                await Task.Delay(delay, context.RequestAborted);
                break;
        }
        await next(context);
    });

    public static void MapFaultEndpoints(this IEndpointRouteBuilder app)
    {
        var faults = app.MapGroup("/simulator/faults").WithTags("Simulator control");
        faults.MapGet("", (FaultInjection faults) => TypedResults.Ok(faults.Status))
            .WithSummary("The fault now applied and how many requests it affected");
        faults.MapPut("", (FaultSettings settings, FaultInjection faults) =>
            {
                if (settings.Rate is < 0 or > 1 || settings.DelayMilliseconds is < 0 or > 600_000 || settings.DurationSeconds is <= 0)
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]>
                    {
                        ["settings"] = ["rate must be 0–1, delayMilliseconds 0–600000, durationSeconds positive."],
                    });
                }
                faults.Set(settings);
                return Results.Ok(faults.Status);
            })
            .WithSummary("Switch a fault on: unavailable (503), slow, or drop the connection");
        faults.MapDelete("", (FaultInjection faults) =>
            {
                faults.Set(new FaultSettings(FaultMode.None));
                return TypedResults.NoContent();
            })
            .WithSummary("Answer normally again");
    }
}
