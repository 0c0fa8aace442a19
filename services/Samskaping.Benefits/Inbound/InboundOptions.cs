using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;

namespace Samskaping.Benefits.Inbound;

/// <summary>
/// The benefit system's machine credential for <c>POST /api/benefits/inbound</c> (section <c>Benefits:Inbound</c>):
/// HS256 tokens from the benefit system's own token issuer, with their own issuer, audience and key, separate from
/// the staff tokens. Locally that issuer is the simulator (its <c>NavSimulator:Issuer</c> and <c>NavSimulator:SigningKey</c>).
/// </summary>
public sealed class InboundOptions : IValidatableObject
{
    public const string Section = "Benefits:Inbound";

    [Required] public string Issuer { get; set; } = "";

    [Required] public string Audience { get; set; } = "";

    /// <summary>Base64 of at least 32 bytes: the benefit system's token signing key (HS256).</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>The scope an inbound token must carry.</summary>
    [Required] public string Scope { get; set; } = "samskaping:benefits.inbound";

    /// <summary>
    /// Base64 of at least 32 bytes: keys the HMAC that fingerprints each notification (it contains an identity
    /// number, so a plain hash could be reversed by trying every number). When left out, a key is derived from
    /// <see cref="SigningKey"/> with HKDF.
    /// </summary>
    public string? FingerprintKey { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Decode(SigningKey) is not { Length: >= 32 })
        {
            yield return new ValidationResult("Benefits:Inbound:SigningKey must be base64 of at least 32 bytes.", [nameof(SigningKey)]);
        }
        if (!string.IsNullOrWhiteSpace(FingerprintKey) && Decode(FingerprintKey) is not { Length: >= 32 })
        {
            yield return new ValidationResult("Benefits:Inbound:FingerprintKey must be base64 of at least 32 bytes when set.", [nameof(FingerprintKey)]);
        }
    }

    internal byte[] SigningKeyBytes() => Decode(SigningKey)!;

    internal byte[] FingerprintKeyBytes() => string.IsNullOrWhiteSpace(FingerprintKey)
        ? HKDF.DeriveKey(HashAlgorithmName.SHA256, SigningKeyBytes(), 32, info: Encoding.UTF8.GetBytes("samskaping benefits inbound fingerprint"))
        : Decode(FingerprintKey)!;

    private static byte[]? Decode(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return null;
        }
        var buffer = new byte[key.Length];
        return Convert.TryFromBase64String(key.Trim(), buffer, out var written) ? buffer[..written] : null;
    }
}
