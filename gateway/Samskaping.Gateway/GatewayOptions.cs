using System.ComponentModel.DataAnnotations;

namespace Samskaping.Gateway;

/// <summary>What the gateway itself enforces, from the <c>Gateway</c> configuration section.</summary>
internal sealed class GatewayOptions : IValidatableObject
{
    public const string Section = "Gateway";

    /// <summary>Largest request body the gateway lets through to a service. Default 1 MiB.</summary>
    [Range(1L, 1L << 30)]
    public long MaxRequestBodyBytes { get; set; } = 1L << 20;

    /// <summary>
    /// Browser origins (<c>https://app.example.kommune.no</c>) that may call the API. Empty: CORS stays closed.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
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
