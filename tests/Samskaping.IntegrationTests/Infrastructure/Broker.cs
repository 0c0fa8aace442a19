using System.Diagnostics;
using Xunit;

namespace Samskaping.IntegrationTests.Infrastructure;

/// <summary>Stops and starts the real RabbitMQ broker (its application, not the Erlang node) through ./samskaping.</summary>
public static class Broker
{
    public static Task Stop() => Run("stop");

    public static Task Start() => Run("start");

    private static async Task Run(string verb)
    {
        var script = Path.Combine(TestEnvironment.Root, "samskaping");
        using var process = Process.Start(new ProcessStartInfo(script, ["broker", verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"Could not run {script}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"./samskaping broker {verb} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}

/// <summary>Tests that stop the shared broker run alone, after every other test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerOutageCollection
{
    public const string Name = "Broker outages";
}
