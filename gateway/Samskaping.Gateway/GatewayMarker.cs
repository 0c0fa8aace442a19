namespace Samskaping.Gateway;

/// <summary>
/// Names this assembly for <c>WebApplicationFactory&lt;GatewayMarker&gt;</c>: with several web projects in one test
/// project, <c>Program</c> is ambiguous.
/// </summary>
public sealed class GatewayMarker;
