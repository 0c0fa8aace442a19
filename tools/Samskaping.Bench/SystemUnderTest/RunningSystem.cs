namespace Samskaping.Bench.SystemUnderTest;

/// <summary>
/// Where the shared PostgreSQL and RabbitMQ are, where the built system lies, and where its logs go.
/// <paramref name="Published"/>: the folder with each process published as it ships (one folder per project), when set.
/// </summary>
public sealed record BenchmarkEnvironment(string Postgres, string RabbitMq, Uri RabbitMqManagement, string Root, string LogDirectory, string? Published = null);

/// <summary>
/// Starts the system the first time a benchmark asks for it, and stops it once at the end of the run (also when a
/// benchmark fails or the run is cancelled), so the benchmarks that need it share one warm system.
/// </summary>
public sealed class RunningSystem(BenchmarkEnvironment environment) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private BenchSystem? _system;
    private Exception? _startFailure;

    public BenchmarkEnvironment Environment { get; } = environment;

    public async Task<BenchSystem> Get(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            // A system that would not start once is not retried by every later benchmark.
            if (_startFailure is not null)
            {
                throw new InvalidOperationException($"the system did not start: {_startFailure.Message}", _startFailure);
            }
            if (_system is null)
            {
                Console.WriteLine("   starting the system in Release (each process alone, to time it to ready)");
                try
                {
                    _system = await BenchSystem.Start(Environment, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    _startFailure = e;
                    throw new InvalidOperationException($"the system did not start: {e.Message}", e);
                }
            }
            return _system;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_system is not null)
        {
            Console.WriteLine("   stopping the system");
            await _system.DisposeAsync();
            _system = null;
        }
        _gate.Dispose();
    }
}
