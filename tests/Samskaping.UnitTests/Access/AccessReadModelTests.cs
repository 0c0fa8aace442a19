using System.Text.RegularExpressions;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Samskaping.Access;
using Samskaping.Benefits;
using Samskaping.Cases;
using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Coordination;
using Samskaping.Coordination;
using Samskaping.Grants;
using Samskaping.Outcomes;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Access;

/// <summary>
/// Every service keeps the access read model (docs/architecture.md §5) from six events. For each of them a service
/// either writes the rows itself — a call to <see cref="CaseAccess"/> or <see cref="CaseParticipation"/> in its own
/// code, in the transaction that publishes the event or in its own consumer of it — or registers the access
/// consumer of that event in its module: never neither (rows missing), never both (the same rows twice).
/// </summary>
public sealed class AccessReadModelTests
{
    /// <summary>The calls by which a service writes an event's rows itself.</summary>
    private static readonly (Type Event, Regex Call)[] WritesItself =
    [
        (typeof(CaseOpened), new Regex(@"CaseAccess\.RecordOpened\(")),
        (typeof(SectorJoinedCase), new Regex(@"CaseParticipation\.Record\([^;]*participating: true")),
        (typeof(SectorLeftCase), new Regex(@"CaseParticipation\.Record\([^;]*participating: false")),
        (typeof(CoordinatorAssigned), new Regex(@"CaseAccess\.RecordLead\(")),
        (typeof(ConsentGiven), new Regex(@"CaseAccess\.RecordConsent\(")),
        (typeof(ConsentWithdrawn), new Regex(@"CaseAccess\.RecordWithdrawal\(")),
    ];

    public static TheoryData<string> Services => new() { "Cases", "Coordination", "Grants", "Outcomes", "Benefits" };

    [Fact]
    public void The_access_consumers_are_one_for_each_event_that_changes_the_read_model()
    {
        AccessConsumers().Values.Select(e => e.Name).Order().ShouldBe(WritesItself.Select(w => w.Event.Name).Order());
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void A_service_takes_from_events_exactly_the_access_rows_it_does_not_write_itself(string service)
    {
        var consumed = RegisteredConsumers(service).Select(c => AccessConsumers().GetValueOrDefault(c)).OfType<Type>().ToList();
        var written = WrittenBy(service);

        consumed.ShouldBeUnique();
        consumed.Intersect(written).ShouldBeEmpty($"{service} writes these rows itself and also takes them from their events");
        WritesItself.Select(w => w.Event).Except(consumed).Except(written)
            .ShouldBeEmpty($"{service} neither writes these rows itself nor takes them from their events");
    }

    /// <summary>The Access building block's consumers, by the event each keeps the read model from. The anonymisation
    /// consumer lives there too but keeps no read model: it removes the service's own data.</summary>
    private static Dictionary<Type, Type> AccessConsumers() =>
        typeof(CaseAccess).Assembly.GetExportedTypes()
            .Where(t => t != typeof(CaseAnonymisationConsumer))
            .SelectMany(t => t.GetInterfaces()
                .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
                .Select(i => (Consumer: t, Event: i.GetGenericArguments()[0])))
            .ToDictionary(c => c.Consumer, c => c.Event);

    /// <summary>The consumers the service's module registers, as MassTransit adds them to the container.</summary>
    private static List<Type> RegisteredConsumers(string service)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = "Host=127.0.0.1;Port=1;Username=nobody",
            ["ConnectionStrings:RabbitMq"] = "amqp://guest:guest@127.0.0.1:1/",
        });
        _ = service switch
        {
            "Cases" => builder.AddCases(),
            "Coordination" => builder.AddCoordination(),
            "Grants" => builder.AddGrants(),
            "Outcomes" => builder.AddOutcomes(),
            "Benefits" => builder.AddBenefits(),
            _ => throw new ArgumentOutOfRangeException(nameof(service), service, null),
        };
        return builder.Services.Select(d => d.ServiceType).Where(t => t.IsAssignableTo(typeof(IConsumer))).ToList();
    }

    /// <summary>The events whose access rows the service's own code writes.</summary>
    private static List<Type> WrittenBy(string service)
    {
        var folder = Path.Combine(Repository.Root, "services", $"Samskaping.{service}");
        var code = string.Join('\n', Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        return WritesItself.Where(w => w.Call.IsMatch(code)).Select(w => w.Event).ToList();
    }
}
