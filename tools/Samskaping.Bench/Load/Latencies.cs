namespace Samskaping.Bench.Load;

/// <summary>Latency samples in milliseconds and their nearest-rank percentiles.</summary>
public sealed class Latencies
{
    private readonly List<double> _samples = [];
    private bool _sorted = true;

    public int Count => _samples.Count;

    public void Add(double milliseconds)
    {
        lock (_samples)
        {
            _samples.Add(milliseconds);
            _sorted = false;
        }
    }

    /// <summary>Adds every sample of <paramref name="other"/> (runs of the same path in several windows).</summary>
    public void AddAll(Latencies other)
    {
        ArgumentNullException.ThrowIfNull(other);
        double[] samples;
        lock (other._samples)
        {
            samples = [.. other._samples];
        }
        lock (_samples)
        {
            _samples.AddRange(samples);
            _sorted = false;
        }
    }

    /// <summary>
    /// Nearest-rank percentile: the smallest sample with at least <paramref name="fraction"/> of the samples at or
    /// below it (p50 of 1..100 is 50, p99 is 99, p100 the maximum). NaN without samples.
    /// </summary>
    public double Percentile(double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fraction, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1.0);
        lock (_samples)
        {
            if (_samples.Count == 0)
            {
                return double.NaN;
            }
            if (!_sorted)
            {
                _samples.Sort();
                _sorted = true;
            }
            var rank = (int)Math.Ceiling(fraction * _samples.Count);
            return _samples[Math.Clamp(rank - 1, 0, _samples.Count - 1)];
        }
    }
}
