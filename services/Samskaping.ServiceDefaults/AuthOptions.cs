using System.ComponentModel.DataAnnotations;

namespace Samskaping.ServiceDefaults;

/// <summary>
/// How bearer tokens are checked. <see cref="Authority"/> points at an OIDC provider and keys come from its metadata:
/// the municipality's in production, the development provider under <c>./samskaping up</c>. Test systems share a
/// symmetric <see cref="SigningKey"/> with the token minter instead. Issuer, audience, lifetime and signature are
/// always checked.
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";

    [Required] public string Issuer { get; set; } = "";

    [Required] public string Audience { get; set; } = "";

    /// <summary>OIDC authority (https://…); its discovery document supplies the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>Base64 of at least 32 random bytes, for HS256 tokens (test systems, the compose system).</summary>
    public string? SigningKey { get; set; }

    /// <summary>Tolerated clock difference between issuer and us.</summary>
    [Range(0, 300)] public int ClockSkewSeconds { get; set; } = 30;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Authority) && string.IsNullOrWhiteSpace(SigningKey))
        {
            yield return new ValidationResult(
                "Set Auth:Authority (OIDC) or Auth:SigningKey (base64, development) so tokens can be validated.",
                [nameof(Authority), nameof(SigningKey)]);
        }
        if (!string.IsNullOrWhiteSpace(SigningKey) && DecodeKey(SigningKey) is not { Length: >= 32 })
        {
            yield return new ValidationResult("Auth:SigningKey must be base64 of at least 32 bytes.", [nameof(SigningKey)]);
        }
    }

    internal static byte[]? DecodeKey(string key)
    {
        var buffer = new byte[key.Length];
        return Convert.TryFromBase64String(key.Trim(), buffer, out var written) ? buffer[..written] : null;
    }
}
