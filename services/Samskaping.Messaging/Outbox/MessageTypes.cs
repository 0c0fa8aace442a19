using System.Collections.Concurrent;
using System.Reflection;
using Samskaping.Contracts;

namespace Samskaping.Messaging.Outbox;

/// <summary>
/// The name an outbox row gives its message's type — the type's full name, without an assembly, so a row stays
/// readable when assemblies are renamed or versioned — and the way back. Only the message records of
/// <c>Samskaping.Contracts</c> are published, so a row can never make the relay load an arbitrary type.
/// </summary>
public static class MessageTypes
{
    private static readonly ConcurrentDictionary<string, Type> Known = new(MessagesIn(typeof(ICaseMessage).Assembly));

    /// <summary>"Namespace.Type", e.g. <c>Samskaping.Contracts.Cases.CaseOpened</c>.</summary>
    public static string NameOf(Type type)
    {
        var name = type.FullName ?? throw new ArgumentException($"{type} has no full name.", nameof(type));
        return Known.TryGetValue(name, out var known) && known == type
            ? name
            : throw new ArgumentException($"{name} is not a message type of Samskaping.Contracts; the outbox publishes only those.", nameof(type));
    }

    /// <summary>The message type named by <see cref="NameOf"/>; null when there is none of that name.</summary>
    public static Type? Resolve(string name) => Known.GetValueOrDefault(name);

    /// <summary>Makes the message records of another assembly publishable through the outbox (a test's probes).</summary>
    internal static void Include(Assembly assembly)
    {
        foreach (var (name, type) in MessagesIn(assembly))
        {
            Known.TryAdd(name, type);
        }
    }

    private static IEnumerable<KeyValuePair<string, Type>> MessagesIn(Assembly assembly) =>
        assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false, FullName: not null })
            .Select(t => KeyValuePair.Create(t.FullName!, t));
}
