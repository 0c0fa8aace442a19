using System.ComponentModel.DataAnnotations;

namespace Samskaping.Workspace;

/// <summary>The workspace's settings (section <c>Workspace</c>): where the API is, and who signs people in.</summary>
public sealed class WorkspaceOptions
{
    public const string Section = "Workspace";

    /// <summary>The gateway, e.g. http://127.0.0.1:5080/: the workspace calls the same API as sector systems.</summary>
    [Required] public Uri? ApiBaseUrl { get; set; }

    /// <summary>
    /// The OpenID Connect provider (the municipality's; the development provider under ./samskaping up). Unset: the
    /// API's own <c>Auth:Authority</c>, which it has to be anyway, since the API takes the tokens this provider issues.
    /// </summary>
    [Required] public string Authority { get; set; } = "";

    [Required] public string ClientId { get; set; } = "workspace";

    /// <summary>The workspace is a confidential client: the code is redeemed by the server, with this secret and PKCE.</summary>
    [Required] public string ClientSecret { get; set; } = "";

    /// <summary>
    /// Networks (CIDR) of the proxies whose X-Forwarded-Host and -Proto are believed, besides loopback: the gateway's
    /// pods in Kubernetes. The sign-in's return address is built from them.
    /// </summary>
    public List<string> ProxyNetworks { get; set; } = [];

    /// <summary>How long a sign-in lasts without use; each request within it extends it.</summary>
    [Range(5, 720)] public int SessionMinutes { get; set; } = 480;
}
