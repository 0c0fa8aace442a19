using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.PersonalData;

/// <summary>
/// The keys that protect national identity numbers at rest, from configuration (<c>Cases:PersonalData</c>), all
/// base64, 32 bytes: the encryption keys (AES-256-GCM) by id in <c>EncryptionKeys:{id}</c>, with
/// <c>ActiveEncryptionKeyId</c> naming the one new ciphertexts are sealed with, and the keys of the keyed lookup hash
/// (HMAC-SHA256) by id in <c>LookupKeys:{id}</c>, with <c>ActiveLookupKeyId</c>. <c>EncryptionKey</c> is encryption
/// key 1 and <c>LookupKey</c> lookup key 1, so a configuration with a single key of each keeps working, the
/// ciphertexts sealed before key ids existed (which read as key 1) stay readable and the hashes stored before lookup
/// key ids existed (stored as key 1) stay found.
/// </summary>
public sealed class PersonalDataOptions
{
    public const string Section = "Cases:PersonalData";

    public string? EncryptionKey { get; set; }

    public Dictionary<int, string> EncryptionKeys { get; set; } = [];

    public int? ActiveEncryptionKeyId { get; set; }

    public string? LookupKey { get; set; }

    public Dictionary<int, string> LookupKeys { get; set; } = [];

    public int? ActiveLookupKeyId { get; set; }

    /// <summary>A person's row holds a hash under at most two lookup keys (docs/operations.md, Key rotation): the
    /// active one and the one rotated from or to.</summary>
    public const int MaxLookupKeys = 2;

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
    internal (Dictionary<int, byte[]> Keys, int ActiveId, List<string> Failures) ResolveEncryptionKeys() =>
        Resolve("EncryptionKey", EncryptionKey, EncryptionKeys, ActiveEncryptionKeyId);

    /// <summary>The lookup keys by id and the active id, with every reason the configuration cannot be used.</summary>
    internal (Dictionary<int, byte[]> Keys, int ActiveId, List<string> Failures) ResolveLookupKeys()
    {
        var (keys, activeId, failures) = Resolve("LookupKey", LookupKey, LookupKeys, ActiveLookupKeyId);
        if (keys.Count > MaxLookupKeys)
        {
            failures.Add($"{Section}:LookupKeys has {keys.Count} keys ({string.Join(", ", keys.Keys)}); at most {MaxLookupKeys} are configured " +
                "at once, the active one and the one rotated from.");
        }
        return (keys, activeId, failures);
    }

    /// <summary>One kind of key: <paramref name="name"/> is key 1, <paramref name="name"/>s:{id} the others.</summary>
    private static (Dictionary<int, byte[]> Keys, int ActiveId, List<string> Failures) Resolve(
        string name, string? single, Dictionary<int, string> byId, int? activeKeyId)
    {
        var failures = new List<string>();
        var keys = new Dictionary<int, byte[]>();
        foreach (var (id, value) in byId.OrderBy(k => k.Key))
        {
            var key = Decode(value);
            if (id < 1)
            {
                failures.Add($"{Section}:{name}s:{id} has an id below 1; key ids are 1, 2, 3, …");
            }
            else if (key is null)
            {
                failures.Add($"{Section}:{name}s:{id} is not a base64 32-byte key (generate one with: openssl rand -base64 32).");
            }
            else
            {
                keys[id] = key;
            }
        }
        var first = Decode(single);
        if (!string.IsNullOrWhiteSpace(single) && first is null)
        {
            failures.Add($"{Section}:{name} is missing or not a base64 32-byte key (generate one with: openssl rand -base64 32).");
        }
        else if (first is not null && keys.TryGetValue(SealedBox.UntaggedKeyId, out var one) && !one.AsSpan().SequenceEqual(first))
        {
            failures.Add($"{Section}:{name} is key 1 and differs from {Section}:{name}s:1; set only one of them.");
        }
        else if (first is not null)
        {
            keys[SealedBox.UntaggedKeyId] = first;
        }
        if (keys.Count == 0 && failures.Count == 0)
        {
            failures.Add($"{Section}:{name} is missing or not a base64 32-byte key (generate one with: openssl rand -base64 32), " +
                $"or set {Section}:{name}s:{{id}} and {Section}:Active{name}Id.");
        }
        foreach (var group in keys.GroupBy(k => Convert.ToBase64String(k.Value)).Where(g => g.Count() > 1))
        {
            failures.Add($"{Section}:{name}s {string.Join(", ", group.Select(k => k.Key).Order())} are the same key; every key id needs its own key.");
        }
        var activeId = activeKeyId ?? (keys.Count == 1 ? keys.Keys.Single() : 0);
        if (keys.Count > 0 && !keys.ContainsKey(activeId))
        {
            failures.Add(activeKeyId is null
                ? $"{Section}:Active{name}Id is missing; with more than one {Describe(name)} it must name the one to use."
                : $"{Section}:Active{name}Id is {activeId}, but there is no key {activeId} (configured: {string.Join(", ", keys.Keys)}).");
        }
        return (keys, activeId, failures);
    }

    private static string Describe(string name) => name == "LookupKey" ? "lookup key" : "encryption key";

    /// <summary>Checked at start-up: a service that cannot protect identity numbers must not take any.</summary>
    public sealed class Validator : IValidateOptions<PersonalDataOptions>
    {
        public ValidateOptionsResult Validate(string? name, PersonalDataOptions options)
        {
            var (encryption, _, failures) = options.ResolveEncryptionKeys();
            var (lookup, _, lookupFailures) = options.ResolveLookupKeys();
            failures.AddRange(lookupFailures);
            // A key used for both would let the lookup hash and the ciphertext be attacked as one.
            foreach (var (lookupId, lookupKey) in lookup)
            {
                foreach (var (encryptionId, _) in encryption.Where(e => e.Value.AsSpan().SequenceEqual(lookupKey)))
                {
                    failures.Add($"{Section}:EncryptionKey and {Section}:LookupKey must be different keys " +
                        $"(encryption key {encryptionId} is lookup key {lookupId}).");
                }
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
    private readonly Dictionary<int, byte[]> _lookupKeys;
    private readonly int _activeLookupKeyId;

    public PersonalDataProtector(IOptions<PersonalDataOptions> options)
    {
        var (keys, activeId, failures) = options.Value.ResolveEncryptionKeys();
        if (failures.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", failures));
        }
        _encryptionKeys = keys;
        _activeKeyId = activeId;
        var (lookupKeys, activeLookupId, lookupFailures) = options.Value.ResolveLookupKeys();
        if (lookupFailures.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", lookupFailures));
        }
        _lookupKeys = lookupKeys;
        _activeLookupKeyId = activeLookupId;
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

    /// <summary>The lookup key new hashes are stored under first.</summary>
    public int ActiveLookupKeyId => _activeLookupKeyId;

    public IReadOnlyCollection<int> LookupKeyIds => _lookupKeys.Keys;

    /// <summary>The hash under the active lookup key.</summary>
    public byte[] LookupHash(IdentityNumber number) => LookupHash(number, _activeLookupKeyId);

    public byte[] LookupHash(IdentityNumber number, int keyId) => HMACSHA256.HashData(_lookupKeys[keyId], Encoding.ASCII.GetBytes(number.Digits));

    /// <summary>
    /// The hashes a row stores for the number: under the active key, and under the other configured key while a
    /// rotation has two, so a replica still on either key finds the person (<see cref="LookupHashes"/>).
    /// </summary>
    public LookupHashes LookupHashesOf(IdentityNumber number)
    {
        var otherId = _lookupKeys.Keys.Where(id => id != _activeLookupKeyId).Cast<int?>().SingleOrDefault();
        return new LookupHashes(LookupHash(number), _activeLookupKeyId,
            otherId is { } id ? LookupHash(number, id) : null, otherId);
    }
}

/// <summary>
/// A number's keyed hashes as a person row and its memberships store them: <see cref="Hash"/> under
/// <see cref="KeyId"/> (the active lookup key when written) and, during a rotation, <see cref="Other"/> under the other
/// configured key. Look-ups match any of <see cref="All"/> in either column, so a row is found as long as one of its
/// hashes is under a configured key.
/// </summary>
public sealed record LookupHashes(byte[] Hash, int KeyId, byte[]? Other, int? OtherKeyId)
{
    /// <summary>Every hash, in key-id order: the order of the advisory locks, so two writers never wait on each other in a circle.</summary>
    public byte[][] All => OtherKeyId is { } other && Other is not null
        ? other < KeyId ? [Other, Hash] : [Hash, Other]
        : [Hash];
}
