using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.PersonalData;

/// <summary>
/// The keys that protect national identity numbers at rest, from configuration (<c>Cases:PersonalData</c>), all
/// base64, 32 bytes: the encryption keys (AES-256-GCM) by id in <c>EncryptionKeys:{id}</c>, with
/// <c>ActiveEncryptionKeyId</c> naming the one new ciphertexts are sealed with, and a separate key for the keyed
/// lookup hash (HMAC-SHA256). <c>EncryptionKey</c> is key 1, so a configuration with a single key keeps working and
/// the ciphertexts sealed before key ids existed (which read as key 1) stay readable.
/// </summary>
public sealed class PersonalDataOptions
{
    public const string Section = "Cases:PersonalData";

    public string? EncryptionKey { get; set; }

    public Dictionary<int, string> EncryptionKeys { get; set; } = [];

    public int? ActiveEncryptionKeyId { get; set; }

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

    /// <summary>The encryption keys by id and the active id, with every reason the configuration cannot be used.</summary>
    internal (Dictionary<int, byte[]> Keys, int ActiveId, List<string> Failures) ResolveEncryptionKeys()
    {
        var failures = new List<string>();
        var keys = new Dictionary<int, byte[]>();
        foreach (var (id, value) in EncryptionKeys.OrderBy(k => k.Key))
        {
            var key = Decode(value);
            if (id < 1)
            {
                failures.Add($"{Section}:EncryptionKeys:{id} has an id below 1; key ids are 1, 2, 3, …");
            }
            else if (key is null)
            {
                failures.Add($"{Section}:EncryptionKeys:{id} is not a base64 32-byte key (generate one with: openssl rand -base64 32).");
            }
            else
            {
                keys[id] = key;
            }
        }
        var single = Decode(EncryptionKey);
        if (!string.IsNullOrWhiteSpace(EncryptionKey) && single is null)
        {
            failures.Add($"{Section}:EncryptionKey is missing or not a base64 32-byte key (generate one with: openssl rand -base64 32).");
        }
        else if (single is not null && keys.TryGetValue(SealedBox.UntaggedKeyId, out var first) && !first.AsSpan().SequenceEqual(single))
        {
            failures.Add($"{Section}:EncryptionKey is key 1 and differs from {Section}:EncryptionKeys:1; set only one of them.");
        }
        else if (single is not null)
        {
            keys[SealedBox.UntaggedKeyId] = single;
        }
        if (keys.Count == 0 && failures.Count == 0)
        {
            failures.Add($"{Section}:EncryptionKey is missing or not a base64 32-byte key (generate one with: openssl rand -base64 32), " +
                $"or set {Section}:EncryptionKeys:{{id}} and {Section}:ActiveEncryptionKeyId.");
        }
        foreach (var group in keys.GroupBy(k => Convert.ToBase64String(k.Value)).Where(g => g.Count() > 1))
        {
            failures.Add($"{Section}:EncryptionKeys {string.Join(", ", group.Select(k => k.Key))} are the same key; every key id needs its own key.");
        }
        var activeId = ActiveEncryptionKeyId ?? (keys.Count == 1 ? keys.Keys.Single() : 0);
        if (keys.Count > 0 && !keys.ContainsKey(activeId))
        {
            failures.Add(ActiveEncryptionKeyId is null
                ? $"{Section}:ActiveEncryptionKeyId is missing; with more than one encryption key it must name the one to encrypt with."
                : $"{Section}:ActiveEncryptionKeyId is {activeId}, but there is no key {activeId} (configured: {string.Join(", ", keys.Keys)}).");
        }
        return (keys, activeId, failures);
    }

    /// <summary>Checked at start-up: a service that cannot protect identity numbers must not take any.</summary>
    public sealed class Validator : IValidateOptions<PersonalDataOptions>
    {
        public ValidateOptionsResult Validate(string? name, PersonalDataOptions options)
        {
            var (encryption, _, failures) = options.ResolveEncryptionKeys();
            var lookup = Decode(options.LookupKey);
            if (lookup is null)
            {
                failures.Add($"{Section}:LookupKey is missing or not a base64 32-byte key (generate one with: openssl rand -base64 32).");
            }
            if (lookup is not null && encryption.Values.Any(key => key.AsSpan().SequenceEqual(lookup)))
            {
                failures.Add($"{Section}:EncryptionKey and {Section}:LookupKey must be different keys.");
            }
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}

/// <summary>
/// Encrypts identity numbers for storage and derives the keyed hash that answers "is this person already known?"
/// without decrypting anything. The ciphertext is bound to the person's id, so it cannot be moved to another row,
/// and names its key (<see cref="SealedBox"/>), so it decrypts under any configured key while new ones use the active key.
/// </summary>
public sealed class PersonalDataProtector
{
    private readonly Dictionary<int, byte[]> _encryptionKeys;
    private readonly int _activeKeyId;
    private readonly byte[] _lookupKey;

    public PersonalDataProtector(IOptions<PersonalDataOptions> options)
    {
        var (keys, activeId, failures) = options.Value.ResolveEncryptionKeys();
        if (failures.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", failures));
        }
        _encryptionKeys = keys;
        _activeKeyId = activeId;
        _lookupKey = PersonalDataOptions.Decode(options.Value.LookupKey)
            ?? throw new InvalidOperationException($"{PersonalDataOptions.Section}:LookupKey is not configured.");
    }

    /// <summary>The key new ciphertexts are sealed with.</summary>
    public int ActiveKeyId => _activeKeyId;

    public IReadOnlyCollection<int> KeyIds => _encryptionKeys.Keys;

    /// <summary>A tagged <see cref="SealedBox"/> under the active key.</summary>
    public byte[] Encrypt(IdentityNumber number, Guid personId)
    {
        var plain = Encoding.ASCII.GetBytes(number.Digits);
        var box = SealedBox.Allocate(_activeKeyId, plain.Length);
        var layout = SealedBox.Read(box);
        var nonce = MemoryMarshal.AsMemory(layout.Nonce).Span;
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_encryptionKeys[_activeKeyId], SealedBox.TagSize);
        aes.Encrypt(nonce, plain, MemoryMarshal.AsMemory(layout.Ciphertext).Span, MemoryMarshal.AsMemory(layout.Tag).Span, layout.AssociatedData(personId));
        return box;
    }

    /// <summary>The key id a stored ciphertext was sealed with.</summary>
    public static int KeyIdOf(byte[] sealedBox) => SealedBox.Read(sealedBox).KeyId;

    public string Decrypt(byte[] sealedBox, Guid personId)
    {
        var box = SealedBox.Read(sealedBox);
        if (!_encryptionKeys.TryGetValue(box.KeyId, out var key))
        {
            throw new CryptographicException($"The identity number is sealed with encryption key {box.KeyId}, which is not configured.");
        }
        var plain = new byte[box.Ciphertext.Length];
        using var aes = new AesGcm(key, SealedBox.TagSize);
        aes.Decrypt(box.Nonce.Span, box.Ciphertext.Span, box.Tag.Span, plain, box.AssociatedData(personId));
        return Encoding.ASCII.GetString(plain);
    }

    public byte[] LookupHash(IdentityNumber number) => HMACSHA256.HashData(_lookupKey, Encoding.ASCII.GetBytes(number.Digits));
}
