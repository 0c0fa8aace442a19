using System.ComponentModel.DataAnnotations;

namespace Samskaping.IdentityProvider;

/// <summary>
/// The development identity provider's settings (section <c>IdentityProvider</c>): who it says it is, what audience
/// its access tokens name, where its RSA signing key is, the clients it knows, and the demo people who may sign in.
/// </summary>
public sealed class IdentityProviderOptions : IValidatableObject
{
    public const string Section = "IdentityProvider";

    /// <summary>The issuer (<c>iss</c>) and the authority the services fetch discovery from, e.g. http://127.0.0.1:5087/.</summary>
    [Required] public Uri? Issuer { get; set; }

    /// <summary>The audience (<c>aud</c>) of every access token: the services' <c>Auth:Audience</c>.</summary>
    [Required] public string Audience { get; set; } = "";

    /// <summary>A PEM file with the RSA private key that signs tokens (./samskaping generates it once, in .samskaping/).</summary>
    [Required] public string SigningKeyFile { get; set; } = "";

    /// <summary>Web applications signing people in with the authorization code flow and PKCE (the workspace).</summary>
    public Dictionary<string, WebClient> WebClients { get; set; } = [];

    /// <summary>Samskaping services taking tokens for service-to-service calls (client credentials), by service name.</summary>
    public Dictionary<string, string> ServiceClients { get; set; } = [];

    /// <summary>The longest lifetime the development grant gives a token (<c>./samskaping token --minutes</c>).</summary>
    [Range(1, 10080)] public int MaxDevelopmentTokenMinutes { get; set; } = 1440;

    [Range(60, 86400)] public int AccessTokenLifetimeSeconds { get; set; } = 3600;

    public List<DemoPerson> People { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, client) in WebClients)
        {
            if (string.IsNullOrWhiteSpace(client.ClientSecret) || client.RedirectUris.Count == 0)
            {
                yield return new ValidationResult(
                    $"IdentityProvider:WebClients:{name} needs a ClientSecret and at least one RedirectUris entry.", [nameof(WebClients)]);
            }
        }
        foreach (var (service, secret) in ServiceClients)
        {
            if (string.IsNullOrWhiteSpace(secret))
            {
                yield return new ValidationResult($"IdentityProvider:ServiceClients:{service} needs a secret.", [nameof(ServiceClients)]);
            }
        }
        foreach (var problem in DemoPeople.Problems(People))
        {
            yield return new ValidationResult(problem, [nameof(People)]);
        }
    }
}

/// <summary>A confidential web client; its id is the key it is configured under unless <see cref="ClientId"/> says otherwise.</summary>
public sealed class WebClient
{
    public string? ClientId { get; set; }

    public string ClientSecret { get; set; } = "";

    public string? DisplayName { get; set; }

    public List<Uri> RedirectUris { get; set; } = [];

    public List<Uri> PostLogoutRedirectUris { get; set; } = [];
}
