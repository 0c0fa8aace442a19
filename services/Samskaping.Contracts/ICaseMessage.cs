namespace Samskaping.Contracts;

/// <summary>
/// A message about one case. The outbox publishes the messages about one case in the order they were written, and
/// messages about different cases side by side; it finds the case here. Every message that carries a case id
/// implements it (ArchitectureTests).
/// </summary>
public interface ICaseMessage
{
    Guid CaseId { get; }
}
