using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Cases;
using Samskaping.Cases.PersonalData;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.ServiceDefaults;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Cases;

/// <summary>
/// Rotating the encryption key of identity numbers (docs/operations.md, Key rotation): with a new key active, the
/// re-encryption job moves every stored number to it, each still decrypting to the same number and found by the same
/// lookup hash, so the old key can then leave configuration.
/// </summary>
public sealed class KeyRotationTests
{
    private static readonly string Key1 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string Key2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string Lookup = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static Dictionary<string, string?> Settings(TestDatabase database, Dictionary<string, string?> keys)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:Issuer"] = TestEnvironment.Issuer,
            ["Auth:Audience"] = TestEnvironment.Audience,
            ["Auth:SigningKey"] = TestEnvironment.SigningKey,
            ["ConnectionStrings:Database"] = database.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = TestEnvironment.RabbitMq,
            // Empty rather than absent, so keys in the environment of the test run cannot fill them in.
            ["Cases:PersonalData:EncryptionKey"] = "",
            ["Cases:PersonalData:LookupKey"] = Lookup,
        };
        foreach (var (key, value) in keys)
        {
            settings[key] = value;
        }
        return settings;
    }

    private static PersonalDataProtector Protector(Dictionary<int, string> keys, int active) =>
        new(Options.Create(new PersonalDataOptions { EncryptionKeys = keys, ActiveEncryptionKeyId = active, LookupKey = Lookup }));

    /// <summary>nonce ‖ ciphertext ‖ tag under key 1: the form of every number stored before ciphertexts named their key.</summary>
    private static byte[] Untagged(string digits, Guid personId)
    {
        var plain = Encoding.ASCII.GetBytes(digits);
        var box = new byte[12 + plain.Length + 16];
        RandomNumberGenerator.Fill(box.AsSpan(0, 12));
        using var aes = new AesGcm(Convert.FromBase64String(Key1), 16);
        aes.Encrypt(box.AsSpan(0, 12), plain, box.AsSpan(12, plain.Length), box.AsSpan(12 + plain.Length), personId.ToByteArray());
        return box;
    }

    private static async Task Insert(NpgsqlConnection connection, Guid id, byte[] encrypted, byte[] lookup)
    {
        await using var insert = new NpgsqlCommand("""
            INSERT INTO cases.persons (id, name, name_search, birth_date, identity_number_encrypted, identity_number_lookup, created_by, created_at)
            VALUES (@id, 'Rotert Person', 'rotert person', '1990-01-01', @encrypted, @lookup, 'key-rotation-test', now())
            """, connection);
        insert.Parameters.AddWithValue("id", id);
        insert.Parameters.AddWithValue("encrypted", encrypted);
        insert.Parameters.AddWithValue("lookup", lookup);
        await insert.ExecuteNonQueryAsync();
    }

    private static async Task<(Guid Id, byte[] Encrypted)?> FindByLookup(NpgsqlConnection connection, byte[] lookup)
    {
        await using var find = new NpgsqlCommand(
            "SELECT id, identity_number_encrypted FROM cases.persons WHERE identity_number_lookup = @lookup", connection);
        find.Parameters.AddWithValue("lookup", lookup);
        await using var reader = await find.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetGuid(0), (byte[])reader[1]) : null;
    }

    [Fact]
    public async Task A_new_active_key_re_encrypts_every_identity_number_and_each_person_is_still_found_with_the_same_number()
    {
        await using var database = await TestDatabase.Create("cases_keyrot");
        var underKey1 = Protector(new() { [1] = Key1 }, active: 1);
        var people = new List<(Guid Id, string Digits)>();
        using (var before = new ServiceFactory<CasesMarker>(Settings(database, new() { ["Cases:PersonalData:EncryptionKey"] = Key1 }), realPort: false))
        {
            before.Start();
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            // More than one batch, half in the untagged form, half tagged with key 1.
            for (var i = 0; i < IdentityNumberReencryption.BatchSize + 50; i++)
            {
                var id = Guid.NewGuid();
                var number = IdentityNumber.Parse(IdentityNumbers.Adult(), out _)!;
                if (people.Any(p => p.Digits == number.Digits))
                {
                    continue;
                }
                await Insert(connection, id, i % 2 == 0 ? Untagged(number.Digits, id) : underKey1.Encrypt(number, id), underKey1.LookupHash(number));
                people.Add((id, number.Digits));
            }
            (await before.Services.GetRequiredService<IdentityNumberReencryption>().CountByKeyId(CancellationToken.None))
                .ShouldBe(new Dictionary<int, int> { [1] = people.Count });
        }

        var rotated = Settings(database, new()
        {
            ["Cases:PersonalData:EncryptionKey"] = Key1,
            ["Cases:PersonalData:EncryptionKeys:2"] = Key2,
            ["Cases:PersonalData:ActiveEncryptionKeyId"] = "2",
        });
        using (var during = new ServiceFactory<CasesMarker>(rotated, realPort: false))
        {
            during.Start();
            var job = during.Services.GetRequiredService<IdentityNumberReencryption>();
            var protector = during.Services.GetRequiredService<PersonalDataProtector>();
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            // A person added while the job runs is sealed with the new key and found at once.
            var newcomer = Guid.NewGuid();
            var newNumber = IdentityNumber.Parse(IdentityNumbers.Adult(), out _)!;
            while (people.Any(p => p.Digits == newNumber.Digits))
            {
                newNumber = IdentityNumber.Parse(IdentityNumbers.Adult(), out _)!;
            }
            await Insert(connection, newcomer, protector.Encrypt(newNumber, newcomer), protector.LookupHash(newNumber));
            (await FindByLookup(connection, protector.LookupHash(newNumber))).ShouldNotBeNull().Id.ShouldBe(newcomer);
            people.Add((newcomer, newNumber.Digits));

            // The job starts with the service; it needs no command.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            IReadOnlyDictionary<int, int> counts;
            while ((counts = await job.CountByKeyId(CancellationToken.None)).ContainsKey(1) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
            counts.ShouldBe(new Dictionary<int, int> { [2] = people.Count });
            (await job.ReencryptAll(CancellationToken.None)).ShouldBe(0, "a second pass finds nothing left under key 1");
        }

        // Key 1 can now leave configuration: every person is found by the same hash and decrypts to the same number under key 2 alone.
        var underKey2Only = Protector(new() { [2] = Key2 }, active: 2);
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var (id, digits) in people)
            {
                var found = (await FindByLookup(connection, underKey2Only.LookupHash(IdentityNumber.Parse(digits, out _)!))).ShouldNotBeNull();
                found.Id.ShouldBe(id);
                PersonalDataProtector.KeyIdOf(found.Encrypted).ShouldBe(2);
                underKey2Only.Decrypt(found.Encrypted, id).ShouldBe(digits);
            }
        }
        using var after = new ServiceFactory<CasesMarker>(Settings(database, new()
        {
            ["Cases:PersonalData:EncryptionKeys:2"] = Key2,
            ["Cases:PersonalData:ActiveEncryptionKeyId"] = "2",
        }), realPort: false);
        after.Start();
    }

    [Fact]
    public async Task Cases_does_not_start_when_the_active_encryption_key_is_not_configured()
    {
        await using var database = await TestDatabase.Create("cases_keyrot");
        using var factory = new ServiceFactory<CasesMarker>(Settings(database, new()
        {
            ["Cases:PersonalData:EncryptionKey"] = Key1,
            ["Cases:PersonalData:ActiveEncryptionKeyId"] = "2",
        }), realPort: false);

        var failure = Should.Throw<Exception>(() => factory.Start());

        failure.ToString().ShouldContain("Cases:PersonalData:ActiveEncryptionKeyId is 2, but there is no key 2");
    }
}
