using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.PersonalData;

/// <summary>
/// The keys that protect national identity numbers at rest, from configuration (<c>Cases:PersonalData</c>):
/// one to encrypt (AES-256-GCM), a separate one for the keyed lookup hash (HMAC-SHA256). Both base64, 32 bytes.
/// </summary>
public sealed class PersonalDataOptions
{
    public const string Section = "Cases:PersonalData";

    public string? EncryptionKey { get; set; }

    public string? LookupKey { get; set; }

    internal static byte[]? Decode(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return null;
        }
        var bytes = new byte[32];
        return Convert.TryFromBase64String(key.Trim(), bytes, out var written) && written == 32 ? bytes : null;
    }

    /// <summary>Checked at start-up: a service that cannot protect identity numbers must not take any.</summary>
    public sealed class Validator : IValidateOptions<PersonalDataOptions>
    {
        public ValidateOptionsResult Validate(string? name, PersonalDataOptions options)
        {
            var failures = new List<string>();
            var encryption = Decode(options.EncryptionKey);
            var lookup = Decode(options.LookupKey);
            if (encryption is null)
            {
                failures.Add($"{Section}:EncryptionKey is missing or not a base64 32-byte key (generate one with: openssl rand -base64 32).");
            }
            if (lookup is null)
            {
                failures.Add($"{Section}:LookupKey is missing or not a base64 32-byte key (generate one with: openssl rand -base64 32).");
            }
            if (encryption is not null && lookup is not null && encryption.AsSpan().SequenceEqual(lookup))
            {
                failures.Add($"{Section}:EncryptionKey and {Section}:LookupKey must be different keys.");
            }
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}

/// <summary>
/// Encrypts identity numbers for storage and derives the keyed hash that answers "is this person already known?"
/// without decrypting anything. The ciphertext is bound to the person's id, so it cannot be moved to another row.
/// </summary>
public sealed class PersonalDataProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _encryptionKey;
    private readonly byte[] _lookupKey;

    public PersonalDataProtector(IOptions<PersonalDataOptions> options)
    {
        _encryptionKey = PersonalDataOptions.Decode(options.Value.EncryptionKey)
            ?? throw new InvalidOperationException($"{PersonalDataOptions.Section}:EncryptionKey is not configured.");
        _lookupKey = PersonalDataOptions.Decode(options.Value.LookupKey)
            ?? throw new InvalidOperationException($"{PersonalDataOptions.Section}:LookupKey is not configured.");
    }

    /// <summary>nonce ‖ ciphertext ‖ tag.</summary>
    public byte[] Encrypt(IdentityNumber number, Guid personId)
    {
        var plain = Encoding.ASCII.GetBytes(number.Digits);
        var sealedBox = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBox.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_encryptionKey, TagSize);
        aes.Encrypt(nonce, plain, sealedBox.AsSpan(NonceSize, plain.Length), sealedBox.AsSpan(NonceSize + plain.Length), personId.ToByteArray());
        return sealedBox;
    }

    public string Decrypt(byte[] sealedBox, Guid personId)
    {
        var length = sealedBox.Length - NonceSize - TagSize;
        var plain = new byte[length];
        using var aes = new AesGcm(_encryptionKey, TagSize);
        aes.Decrypt(sealedBox.AsSpan(0, NonceSize), sealedBox.AsSpan(NonceSize, length), sealedBox.AsSpan(NonceSize + length), plain, personId.ToByteArray());
        return Encoding.ASCII.GetString(plain);
    }

    public byte[] LookupHash(IdentityNumber number) => HMACSHA256.HashData(_lookupKey, Encoding.ASCII.GetBytes(number.Digits));
}
