using System.ComponentModel.DataAnnotations;

namespace Samskaping.Gateway;

/// <summary>What the gateway itself enforces, from the <c>Gateway</c> configuration section.</summary>
internal sealed class GatewayOptions : IValidatableObject
{
    public const string Section = "Gateway";

    /// <summary>Largest request body the gateway lets through to a service. Default 1 MiB.</summary>
    [Range(1L, 1L << 30)]
    public long MaxRequestBodyBytes { get; set; } = 1L << 20;

    /// <summary>Most request headers one request may carry (more: 431). Default 50; Kestrel's own default is 100.</summary>
    [Range(10, 1000)]
    public int MaxRequestHeaderCount { get; set; } = 50;

    /// <summary>Largest total size of a request's headers (more: 431). Default 16 KiB: room for a large token, not for abuse.</summary>
    [Range(4096, 1 << 20)]
    public int MaxRequestHeadersTotalBytes { get; set; } = 16 * 1024;

    /// <summary>How long a client may take to send the request headers before the connection is closed (slow-loris). Default 10 s.</summary>
    [Range(1, 120)]
    public int RequestHeadersTimeoutSeconds { get; set; } = 10;

    /// <summary>How long an idle keep-alive connection stays open. Default 60 s.</summary>
    [Range(1, 600)]
    public int KeepAliveTimeoutSeconds { get; set; } = 60;

    /// <summary>
    /// How long a bearer token that passed validation is taken as valid without checking it again (never past its
    /// own expiry); 0 checks every request's token in full. Default 60 s. See <see cref="ValidatedTokens"/>.
    /// </summary>
    [Range(0, 300)]
    public int TokenCacheSeconds { get; set; } = 60;

    /// <summary>Most validated tokens remembered at once. Default 10 000 (a few MiB at most).</summary>
    [Range(1, 1_000_000)]
    public int TokenCacheEntries { get; set; } = 10_000;

    /// <summary>
    /// Run the gateway's request handling on the socket's I/O thread instead of handing every read, write and
    /// forwarded answer to the thread pool (Kestrel's inline scheduling and .NET's inline socket completions). The
    /// gateway's work per request is short and never blocks, so this saves the thread switches that are a large
    /// part of its cost per request (docs/performance.md). Default on.
    /// </summary>
    public bool InlineIo { get; set; } = true;

    /// <summary>
    /// Browser origins (<c>https://app.example.kommune.no</c>) that may call the API. Empty: CORS stays closed.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>
    /// Where the workspace (the caseworkers' web app) listens, e.g. <c>http://samskaping-workspace:8080</c>. Set: the
    /// gateway serves it at its root (<see cref="WorkspaceRoute"/>). Empty: the gateway is the API alone.
    /// </summary>
    public Uri? WorkspaceAddress { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (WorkspaceAddress is { OriginalString.Length: > 0 } workspace && (!workspace.IsAbsoluteUri || (workspace.Scheme != Uri.UriSchemeHttp && workspace.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult(
                $"Gateway:WorkspaceAddress is '{workspace}': give the workspace's http(s) address, like http://samskaping-workspace:8080.",
                [nameof(WorkspaceAddress)]);
        }
        foreach (var origin in AllowedOrigins)
        {
            if (!IsOrigin(origin))
            {
                yield return new ValidationResult(
                    $"Gateway:AllowedOrigins has '{origin}': give scheme, host and port only, like https://app.example.no (no '*', no path).",
                    [nameof(AllowedOrigins)]);
            }
        }
    }

    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.AbsolutePath == "/" && !value.EndsWith('/') && uri.Query.Length == 0 && uri.Fragment.Length == 0
        && uri.UserInfo.Length == 0;
}
