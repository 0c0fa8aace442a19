using CsCheck;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Samskaping.Cases;
using Samskaping.Cases.Households;
using Samskaping.Cases.PersonalData;
using Samskaping.ServiceDefaults;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Cases;

public sealed class MemberTests
{
    private static readonly DateOnly Today = new(2026, 11, 27);

    [Fact]
    public void The_birth_date_comes_from_the_identity_number_when_not_given()
    {
        var (number, birthDate, _) = IdentityNumberTests.ValidNumbers.Where(n => n.BirthDate < Today).Single();

        var (member, errors) = Member.Validate(new AddMember(" Sara Berg ", null, "child", number, null), Today);

        errors.IsValid.ShouldBeTrue();
        member!.Name.ShouldBe("Sara Berg");
        member.BirthDate.ShouldBe(birthDate);
        member.IdentityNumber!.Digits.ShouldBe(number);
    }

    [Fact]
    public void A_birth_date_that_contradicts_the_identity_number_is_named()
    {
        var (number, birthDate, _) = IdentityNumberTests.ValidNumbers.Where(n => n.BirthDate < Today).Single();

        var (_, errors) = Member.Validate(new AddMember("Sara", birthDate.AddDays(1), "child", number, null), Today);

        errors.ToDictionary().Keys.ShouldBe(["birthDate"]);
    }

    [Theory]
    [InlineData(null, "2015-01-01", "child", null, "name")]
    [InlineData("Sara", null, "child", null, "birthDate")]
    [InlineData("Sara", "2030-01-01", "child", null, "birthDate")]
    [InlineData("Sara", "2015-01-01", "daughter", null, "role")]
    [InlineData("Sara", "2015-01-01", null, null, "role")]
    [InlineData("Sara", "2015-01-01", "child", "12345678901", "identityNumber")]
    public void Bad_member_input_is_named(string? name, string? birth, string? role, string? number, string field)
    {
        var birthDate = birth is null ? (DateOnly?)null : DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture);

        var (member, errors) = Member.Validate(new AddMember(name, birthDate, role, number, null), Today);

        member.ShouldBeNull();
        errors.ToDictionary().Keys.ShouldContain(field);
    }

    [Fact]
    public void A_guardian_listed_twice_is_named()
    {
        var mother = Guid.NewGuid();

        var (_, errors) = Member.Validate(new AddMember("Sara", new DateOnly(2015, 1, 1), "child", null, [mother, mother]), Today);

        errors.ToDictionary().Keys.ShouldBe(["guardians"]);
    }
}

public sealed class PersonalDataProtectorTests
{
    private static readonly PersonalDataProtector Protector = new(Options.Create(new PersonalDataOptions
    {
        EncryptionKey = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)i).ToArray()),
        LookupKey = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 100)).ToArray()),
    }));

    private static IdentityNumber Number() => IdentityNumber.Parse(IdentityNumberTests.ValidNumbers.Single().Number, out _)!;

    [Fact]
    public void An_encrypted_number_decrypts_only_for_its_own_person()
    {
        var number = Number();
        var person = Guid.NewGuid();

        var sealedBox = Protector.Encrypt(number, person);

        System.Text.Encoding.ASCII.GetString(sealedBox).ShouldNotContain(number.Digits);
        Protector.Decrypt(sealedBox, person).ShouldBe(number.Digits);
        Should.Throw<System.Security.Cryptography.AuthenticationTagMismatchException>(() => Protector.Decrypt(sealedBox, Guid.NewGuid()));
    }

    [Fact]
    public void Encrypting_twice_gives_different_ciphertexts_but_the_same_lookup_hash()
    {
        var number = Number();

        Protector.Encrypt(number, Guid.Empty).ShouldNotBe(Protector.Encrypt(number, Guid.Empty));
        Protector.LookupHash(number).ShouldBe(Protector.LookupHash(IdentityNumber.Parse(number.Digits, out _)!));
    }

    [Fact]
    public void The_lookup_hash_depends_on_the_key()
    {
        var other = new PersonalDataProtector(Options.Create(new PersonalDataOptions
        {
            EncryptionKey = Convert.ToBase64String(new byte[32]),
            LookupKey = Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray()),
        }));
        var number = Number();

        other.LookupHash(number).ShouldNotBe(Protector.LookupHash(number));
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(number.Digits)).ShouldNotBe(Protector.LookupHash(number));
    }

    [Theory]
    [InlineData(null, "a2V5", "EncryptionKey is missing")]
    [InlineData("bm90LTMyLWJ5dGVz", null, "EncryptionKey is missing")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", null, "LookupKey is missing")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "must be different keys")]
    public void Missing_short_or_equal_keys_are_refused_with_a_clear_message(string? encryption, string? lookup, string message)
    {
        var result = new PersonalDataOptions.Validator().Validate(null, new PersonalDataOptions { EncryptionKey = encryption, LookupKey = lookup });

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain(message);
    }

    private static readonly string Key1 = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)i).ToArray());
    private static readonly string Key2 = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 50)).ToArray());
    private static readonly string Lookup = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 100)).ToArray());

    private static PersonalDataProtector Rotating(int active) => new(Options.Create(new PersonalDataOptions
    {
        EncryptionKeys = { [1] = Key1, [2] = Key2 },
        ActiveEncryptionKeyId = active,
        LookupKey = Lookup,
    }));

    /// <summary>The format every ciphertext had before key ids: nonce ‖ ciphertext ‖ tag, the person's id as associated data.</summary>
    private static byte[] Untagged(IdentityNumber number, Guid personId)
    {
        var plain = System.Text.Encoding.ASCII.GetBytes(number.Digits);
        var box = new byte[12 + plain.Length + 16];
        System.Security.Cryptography.RandomNumberGenerator.Fill(box.AsSpan(0, 12));
        using var aes = new System.Security.Cryptography.AesGcm(Convert.FromBase64String(Key1), 16);
        aes.Encrypt(box.AsSpan(0, 12), plain, box.AsSpan(12, plain.Length), box.AsSpan(12 + plain.Length), personId.ToByteArray());
        return box;
    }

    [Fact]
    public void A_ciphertext_without_a_key_id_reads_as_key_1_under_a_rotated_configuration()
    {
        var number = Number();
        var person = Guid.NewGuid();
        var untagged = Untagged(number, person);

        PersonalDataProtector.KeyIdOf(untagged).ShouldBe(1);
        Rotating(active: 2).Decrypt(untagged, person).ShouldBe(number.Digits);
        Protector.Decrypt(untagged, person).ShouldBe(number.Digits);
    }

    [Fact]
    public void New_ciphertexts_name_the_active_key_and_stay_readable_while_that_key_is_configured()
    {
        var number = Number();
        var person = Guid.NewGuid();

        var underOne = Rotating(active: 1).Encrypt(number, person);
        var underTwo = Rotating(active: 2).Encrypt(number, person);

        PersonalDataProtector.KeyIdOf(underOne).ShouldBe(1);
        PersonalDataProtector.KeyIdOf(underTwo).ShouldBe(2);
        Rotating(active: 2).Decrypt(underOne, person).ShouldBe(number.Digits);
        Rotating(active: 1).Decrypt(underTwo, person).ShouldBe(number.Digits);
        Should.Throw<System.Security.Cryptography.CryptographicException>(() => Protector.Decrypt(underTwo, person))
            .Message.ShouldContain("encryption key 2");
    }

    [Fact]
    public void A_changed_byte_or_key_id_is_detected()
    {
        var number = Number();
        var person = Guid.NewGuid();
        var protector = Rotating(active: 2);
        var box = protector.Encrypt(number, person);

        for (var i = 0; i < box.Length; i++)
        {
            var tampered = (byte[])box.Clone();
            tampered[i] ^= 0x01;
            // The version byte turns the box into an unknown format; every other byte fails authentication or names a key not configured.
            var refusal = Should.Throw<Exception>(() => protector.Decrypt(tampered, person), $"byte {i}");
            (refusal is System.Security.Cryptography.CryptographicException or FormatException).ShouldBeTrue($"byte {i}: {refusal.GetType()}");
        }
        var relabelled = (byte[])box.Clone();
        relabelled[4] = 1;
        Should.Throw<System.Security.Cryptography.AuthenticationTagMismatchException>(() => protector.Decrypt(relabelled, person));
        Should.Throw<FormatException>(() => protector.Decrypt([9, 0, 0, 0, 2, .. new byte[40]], person));
    }

    [Fact]
    public void Keys_bind_from_configuration_by_id()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cases:PersonalData:EncryptionKey"] = Key1,
            ["Cases:PersonalData:EncryptionKeys:2"] = Key2,
            ["Cases:PersonalData:ActiveEncryptionKeyId"] = "2",
            ["Cases:PersonalData:LookupKey"] = Lookup,
        }).Build();
        var options = new PersonalDataOptions();
        configuration.GetSection(PersonalDataOptions.Section).Bind(options);

        new PersonalDataOptions.Validator().Validate(null, options).Succeeded.ShouldBeTrue();
        var protector = new PersonalDataProtector(Options.Create(options));
        protector.ActiveKeyId.ShouldBe(2);
        protector.KeyIds.Order().ShouldBe([1, 2]);
    }

    public static TheoryData<PersonalDataOptions, string> RefusedKeyRings => new()
    {
        { new PersonalDataOptions { EncryptionKeys = { [1] = Key1, [2] = Key2 }, LookupKey = Lookup }, "ActiveEncryptionKeyId is missing" },
        { new PersonalDataOptions { EncryptionKeys = { [1] = Key1 }, ActiveEncryptionKeyId = 2, LookupKey = Lookup }, "there is no key 2" },
        { new PersonalDataOptions { EncryptionKeys = { [1] = Key1, [2] = Key1 }, ActiveEncryptionKeyId = 2, LookupKey = Lookup }, "1, 2 are the same key" },
        { new PersonalDataOptions { EncryptionKey = Key2, EncryptionKeys = { [1] = Key1 }, LookupKey = Lookup }, "differs from Cases:PersonalData:EncryptionKeys:1" },
        { new PersonalDataOptions { EncryptionKeys = { [1] = Key1, [2] = Lookup }, ActiveEncryptionKeyId = 1, LookupKey = Lookup }, "must be different keys" },
        { new PersonalDataOptions { EncryptionKeys = { [0] = Key1 }, ActiveEncryptionKeyId = 0, LookupKey = Lookup }, "id below 1" },
    };

    [Theory]
    [MemberData(nameof(RefusedKeyRings))]
    public void A_key_ring_without_its_active_key_or_with_a_key_used_twice_is_refused(PersonalDataOptions options, string message)
    {
        var result = new PersonalDataOptions.Validator().Validate(null, options);

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain(message);
    }

    private static readonly string Lookup2 = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 150)).ToArray());
    private static readonly string Lookup3 = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 200)).ToArray());

    public static TheoryData<PersonalDataOptions, string> RefusedLookupKeyRings => new()
    {
        { new PersonalDataOptions { EncryptionKey = Key1, LookupKeys = { [1] = Lookup, [2] = Lookup2 } }, "ActiveLookupKeyId is missing" },
        { new PersonalDataOptions { EncryptionKey = Key1, LookupKey = Lookup, ActiveLookupKeyId = 2 }, "ActiveLookupKeyId is 2, but there is no key 2" },
        { new PersonalDataOptions { EncryptionKey = Key1, LookupKey = Lookup, LookupKeys = { [2] = Lookup }, ActiveLookupKeyId = 2 }, "LookupKeys 1, 2 are the same key" },
        { new PersonalDataOptions { EncryptionKey = Key1, LookupKey = Lookup2, LookupKeys = { [1] = Lookup }, ActiveLookupKeyId = 1 }, "differs from Cases:PersonalData:LookupKeys:1" },
        { new PersonalDataOptions { EncryptionKey = Key1, LookupKey = Lookup, LookupKeys = { [2] = Key1 }, ActiveLookupKeyId = 2 }, "(encryption key 1 is lookup key 2)" },
        { new PersonalDataOptions { EncryptionKeys = { [1] = Key1, [3] = Lookup2 }, ActiveEncryptionKeyId = 1, LookupKey = Lookup, LookupKeys = { [2] = Lookup2 }, ActiveLookupKeyId = 2 },
            "(encryption key 3 is lookup key 2)" },
        { new PersonalDataOptions { EncryptionKey = Key1, LookupKeys = { [1] = Lookup, [2] = Lookup2, [3] = Lookup3 }, ActiveLookupKeyId = 3 }, "at most 2" },
        { new PersonalDataOptions { EncryptionKey = Key1, LookupKeys = { [1] = "a2V5" }, ActiveLookupKeyId = 1 }, "LookupKeys:1 is not a base64 32-byte key" },
    };

    [Theory]
    [MemberData(nameof(RefusedLookupKeyRings))]
    public void A_lookup_key_ring_without_its_active_key_with_a_key_used_twice_or_sharing_an_encryption_key_is_refused(PersonalDataOptions options, string message)
    {
        var result = new PersonalDataOptions.Validator().Validate(null, options);

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain(message);
    }

    [Fact]
    public void Lookup_keys_bind_by_id_and_during_a_rotation_a_number_has_a_hash_under_each_with_lookup_key_1_the_old_LookupKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cases:PersonalData:EncryptionKey"] = Key1,
            ["Cases:PersonalData:LookupKey"] = Lookup,
            ["Cases:PersonalData:LookupKeys:2"] = Lookup2,
            ["Cases:PersonalData:ActiveLookupKeyId"] = "2",
        }).Build();
        var options = new PersonalDataOptions();
        configuration.GetSection(PersonalDataOptions.Section).Bind(options);
        new PersonalDataOptions.Validator().Validate(null, options).Succeeded.ShouldBeTrue();
        var rotating = new PersonalDataProtector(Options.Create(options));
        var number = Number();

        var hashes = rotating.LookupHashesOf(number);

        rotating.ActiveLookupKeyId.ShouldBe(2);
        hashes.KeyId.ShouldBe(2);
        hashes.OtherKeyId.ShouldBe(1);
        hashes.Other.ShouldBe(Rotating(1).LookupHash(number), "lookup key 1 is the LookupKey every earlier hash was made with");
        hashes.Hash.ShouldNotBe(hashes.Other);
        hashes.All.ShouldBe([hashes.Other!, hashes.Hash], "locks are taken in key-id order");
        Rotating(1).LookupHashesOf(number).All.ShouldBe([hashes.Other!], "with one lookup key there is one hash");
    }
}

public sealed class CursorTests
{
    [Fact]
    public void A_cursor_round_trips() =>
        Gen.Select(Gen.DateTimeOffset, Gen.Guid).Sample((at, id) =>
        {
            var cursor = new Cursor(at.ToUniversalTime(), id);
            Cursor.Decode(cursor.Encode()).ShouldBe(cursor);
        });

    [Theory]
    [InlineData("x")]
    [InlineData("bm90IGEgY3Vyc29y")]
    [InlineData("!!!!")]
    [InlineData("MTIzLmFiYw")]
    [InlineData("LTEuMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA")]
    public void Anything_else_is_not_a_cursor(string value) => Cursor.Decode(value).ShouldBeNull();
}

public sealed class SearchTests
{
    [Theory]
    [InlineData("Ærlig", "ærlig")]
    [InlineData(" ØST ", "øst")]
    [InlineData("Åse", "åse")]
    public void Names_fold_with_the_norwegian_letters(string name, string normalized) => Search.Normalize(name).ShouldBe(normalized);

    [Fact]
    public void Like_wildcards_are_escaped() => Search.EscapeLike(@"50%_\").ShouldBe(@"50\%\_\\");
}
