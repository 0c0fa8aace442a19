namespace Samskaping.ServiceDefaults;

/// <summary>
/// The loop of every background sweep and scan: the work at once, then on every tick of <paramref name="interval"/> on
/// the injected <see cref="TimeProvider"/> (so tests drive it with a fake clock), until the host stops. A pass that
/// fails is logged and the next tick tries again: what it did not finish is still there to find, since every job
/// finds its work in the database instead of remembering it.
/// </summary>
public static class Periodically
{
    /// <param name="handles">The failures a pass may end in and the loop survives; without it, any failure while the
    /// host is not stopping.</param>
    public static async Task Run(
        TimeSpan interval, TimeProvider clock, Func<CancellationToken, Task> pass, Action<Exception> failed,
        CancellationToken stoppingToken, Func<Exception, bool>? handles = null)
    {
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                await pass(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && (handles?.Invoke(e) ?? true))
            {
                failed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
