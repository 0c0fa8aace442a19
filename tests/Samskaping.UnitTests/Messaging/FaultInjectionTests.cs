using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Samskaping.Messaging.Bus;
using Samskaping.Messaging.Database;
using Samskaping.Messaging.Faults;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Messaging;

/// <summary>The fault suite's injection in the inbox (Messaging:Faults): off by default, refused in Production, deterministic.</summary>
public sealed class FaultInjectionTests
{
    private static readonly Guid[] Ids = SeededIds(20_000);

    [Fact]
    public void Fault_injection_is_off_by_default_and_then_never_fails_a_message()
    {
        var options = new FaultOptions();
        options.Enabled.ShouldBeFalse();
        var faults = Faults(options);

        foreach (var id in Ids.Take(2_000))
        {
            Should.NotThrow(() => faults.BeforeCommit(id, "consumer"));
            faults.AfterCommit(id, "consumer"); // would kill this test process if it were on
        }
    }

    [Theory]
    [InlineData("Production", true, false)]
    [InlineData("Production", false, true)]
    [InlineData("Development", true, true)]
    [InlineData("Staging", true, true)]
    public void Fault_injection_is_refused_in_Production(string environment, bool enabled, bool accepted)
    {
        var options = new FaultOptions { PermanentFailureRate = enabled ? 0.01 : 0 };
        var result = new FaultOptions.Validator(new Environment(environment)).Validate(null, options);

        result.Succeeded.ShouldBe(accepted);
        if (!accepted)
        {
            (result.FailureMessage ?? "").ShouldContain("refused in Production");
        }
    }

    [Fact]
    public async Task A_Production_service_with_faults_configured_does_not_start()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Nothing listens there: the refusal must come before any connection is tried.
            ["ConnectionStrings:Database"] = "Host=127.0.0.1;Port=1;Username=nobody",
            ["ConnectionStrings:RabbitMq"] = "amqp://guest:guest@127.0.0.1:1/",
            ["Messaging:Faults:KillAfterCommit"] = "3",
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddServiceDatabase(typeof(FaultInjectionTests).Assembly);
        builder.AddMessaging("refused", _ => { });
        using var host = builder.Build();

        var refusal = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync());
        refusal.Message.ShouldContain("Messaging:Faults");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fault_injection_is_in_a_service_only_when_Messaging_Faults_is_configured(bool configured)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = "Host=127.0.0.1;Port=1;Username=nobody",
            ["ConnectionStrings:RabbitMq"] = "amqp://guest:guest@127.0.0.1:1/",
            ["Messaging:RetryLimit"] = "3",
        });
        if (configured)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Messaging:Faults:Seed"] = "7" });
        }
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddServiceDatabase(typeof(FaultInjectionTests).Assembly);
        builder.AddMessaging("faults", _ => { });
        using var services = builder.Services.BuildServiceProvider();

        (services.GetService<MessageFaults>() is not null).ShouldBe(configured);
    }

    [Fact]
    public void Rates_that_add_up_to_more_than_everything_are_refused()
    {
        var result = new FaultOptions.Validator(new Environment("Development"))
            .Validate(null, new FaultOptions { TransientFailureRate = 0.7, PermanentFailureRate = 0.4 });
        result.Succeeded.ShouldBeFalse();
    }

    [Fact]
    public void A_message_fate_depends_only_on_the_seed_and_the_message_id()
    {
        var first = Ids.Select(id => MessageFaults.Fate(7, id, 0.10, 0.01)).ToList();
        var again = Ids.Select(id => MessageFaults.Fate(7, id, 0.10, 0.01)).ToList();
        var otherSeed = Ids.Select(id => MessageFaults.Fate(8, id, 0.10, 0.01)).ToList();

        again.ShouldBe(first);
        otherSeed.ShouldNotBe(first);
        // A known value (computed independently: SHA-256 of the seed and the id's bytes), so the draw stays the same
        // across processes and versions; the suite predicts it from outside the services.
        MessageFaults.Draw(1, Guid.Parse("0196c3a0-0000-7000-8000-000000000001")).ShouldBe(0.041427421700009126, 1e-15);
        MessageFaults.Draw(1, Guid.Empty).ShouldBeInRange(0.0, 1.0);
    }

    [Fact]
    public void About_the_configured_shares_of_messages_fail()
    {
        var fates = Ids.Select(id => MessageFaults.Fate(3, id, 0.10, 0.01)).ToList();

        (fates.Count(f => f == MessageFate.Transient) / (double)fates.Count).ShouldBeInRange(0.09, 0.11);
        (fates.Count(f => f == MessageFate.Permanent) / (double)fates.Count).ShouldBeInRange(0.007, 0.013);
    }

    [Fact]
    public void A_transient_message_fails_its_first_attempts_only_and_a_permanent_one_fails_every_attempt()
    {
        var options = new FaultOptions { Seed = 5, TransientFailureRate = 0.10, PermanentFailureRate = 0.01, TransientAttempts = 2 };
        var faults = Faults(options);
        var transient = Ids.First(id => MessageFaults.Fate(5, id, 0.10, 0.01) == MessageFate.Transient);
        var permanent = Ids.First(id => MessageFaults.Fate(5, id, 0.10, 0.01) == MessageFate.Permanent);
        var unharmed = Ids.First(id => MessageFaults.Fate(5, id, 0.10, 0.01) == MessageFate.Unharmed);

        Should.Throw<InjectedFaultException>(() => faults.BeforeCommit(transient, "a"));
        Should.Throw<InjectedFaultException>(() => faults.BeforeCommit(transient, "a"));
        Should.NotThrow(() => faults.BeforeCommit(transient, "a"));
        // Attempts are counted per consumer: another consumer of the same message fails its own first attempts.
        Should.Throw<InjectedFaultException>(() => faults.BeforeCommit(transient, "b"));
        for (var attempt = 0; attempt < 10; attempt++)
        {
            Should.Throw<InjectedFaultException>(() => faults.BeforeCommit(permanent, "a"));
        }
        Should.NotThrow(() => faults.BeforeCommit(unharmed, "a"));
    }

    private static MessageFaults Faults(FaultOptions options) => new(Options.Create(options), NullLogger<MessageFaults>.Instance);

    private static Guid[] SeededIds(int count)
    {
        var random = new Random(42);
        var bytes = new byte[16];
        return Enumerable.Range(0, count).Select(_ =>
        {
            random.NextBytes(bytes);
            return new Guid(bytes);
        }).ToArray();
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "test";
        public string ContentRootPath { get; set; } = "/";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
