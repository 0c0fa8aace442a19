using System.Buffers.Binary;

namespace Samskaping.Cases.PersonalData;

/// <summary>
/// The stored form of an encrypted identity number, naming the key that sealed it so keys can rotate:
/// <c>version (1) ‖ key id (4, big-endian) ‖ nonce (12) ‖ ciphertext ‖ tag (16)</c>. The version and key id are
/// authenticated with the person's id, so changing either makes decryption fail instead of trying another key.
/// Boxes sealed before key ids existed are <c>nonce ‖ ciphertext ‖ tag</c> of an 11-digit number, 39 bytes, and read
/// as key 1; a tagged box of an 11-digit number is 44 bytes, so the two never share a length.
/// </summary>
public readonly record struct SealedBox(int KeyId, bool Tagged, ReadOnlyMemory<byte> Nonce, ReadOnlyMemory<byte> Ciphertext, ReadOnlyMemory<byte> Tag)
{
    public const byte Version = 1;
    public const int UntaggedKeyId = 1;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    private const int HeaderSize = 5;
    private const int IdentityNumberDigits = 11;
    private const int UntaggedLength = NonceSize + IdentityNumberDigits + TagSize;

    /// <summary>The bytes authenticated with the ciphertext: the header (when tagged) and the person's id.</summary>
    public byte[] AssociatedData(Guid personId)
    {
        var person = personId.ToByteArray();
        return Tagged ? [.. Header(KeyId), .. person] : person;
    }

    public static byte[] Header(int keyId)
    {
        var header = new byte[HeaderSize];
        header[0] = Version;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(1), keyId);
        return header;
    }

    /// <summary>A tagged box with its header written; <see cref="Read"/> gives the nonce, ciphertext and tag to fill.</summary>
    public static byte[] Allocate(int keyId, int plainLength)
    {
        var box = new byte[HeaderSize + NonceSize + plainLength + TagSize];
        Header(keyId).CopyTo(box, 0);
        return box;
    }

    public static SealedBox Read(byte[] box)
    {
        ArgumentNullException.ThrowIfNull(box);
        if (box.Length == UntaggedLength)
        {
            return new SealedBox(UntaggedKeyId, false, box.AsMemory(0, NonceSize),
                box.AsMemory(NonceSize, IdentityNumberDigits), box.AsMemory(NonceSize + IdentityNumberDigits, TagSize));
        }
        if (box.Length < HeaderSize + NonceSize + TagSize || box[0] != Version)
        {
            throw new FormatException("The sealed identity number has an unknown format.");
        }
        var keyId = BinaryPrimitives.ReadInt32BigEndian(box.AsSpan(1, 4));
        var length = box.Length - HeaderSize - NonceSize - TagSize;
        return new SealedBox(keyId, true, box.AsMemory(HeaderSize, NonceSize),
            box.AsMemory(HeaderSize + NonceSize, length), box.AsMemory(HeaderSize + NonceSize + length, TagSize));
    }
}
