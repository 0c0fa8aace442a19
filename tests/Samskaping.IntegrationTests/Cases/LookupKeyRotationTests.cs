using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Samskaping.Cases;
using Samskaping.Cases.PersonalData;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Cases;

/// <summary>
/// Rotating the lookup key of identity numbers (docs/operations.md, Key rotation): people recorded under lookup key 1;
/// cases restarted with keys 1 and 2, key 2 active, beside a replica still on key 1 alone; the rehash job gives every
/// person a hash under key 2 and keeps the one under key 1 through the window; with key 1 out of configuration its
/// hashes are dropped. At no point is a person unfindable or unlinked from their records in other households.
/// </summary>
public sealed class LookupKeyRotationTests
{
    private static readonly string Encryption = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string Lookup1 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string Lookup2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static Dictionary<string, string?> Settings(TestDatabase database, Dictionary<string, string?> keys)
    {
        var settings = TestEnvironment.ProcessSettings();
        settings["ConnectionStrings:Database"] = database.ConnectionString;
        settings["ConnectionStrings:RabbitMq"] = TestEnvironment.RabbitMq;
        settings["Cases:PersonalData:EncryptionKey"] = Encryption;
        // Empty rather than absent, so keys in the environment of the test run cannot fill them in.
        settings["Cases:PersonalData:LookupKey"] = "";
        foreach (var (key, value) in keys)
        {
            settings[key] = value;
        }
        return settings;
    }

    private static readonly Dictionary<string, string?> Key1Only = new() { ["Cases:PersonalData:LookupKey"] = Lookup1 };

    private static readonly Dictionary<string, string?> Key1And2 = new()
    {
        ["Cases:PersonalData:LookupKey"] = Lookup1,
        ["Cases:PersonalData:LookupKeys:2"] = Lookup2,
        ["Cases:PersonalData:ActiveLookupKeyId"] = "2",
    };

    private static readonly Dictionary<string, string?> Key2Only = new()
    {
        ["Cases:PersonalData:LookupKeys:2"] = Lookup2,
        ["Cases:PersonalData:ActiveLookupKeyId"] = "2",
    };

    private static HttpClient Client(ServiceFactory<CasesMarker> factory, string role)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For("oppvekst", role));
        return client;
    }

    private static async Task<List<Guid>> CasesOf(HttpClient caseworker, string number)
    {
        var response = await caseworker.PostAsJsonAsync("/api/cases/persons/lookup", new { identityNumber = number });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. body.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("caseId").GetGuid()).Order()];
    }

    private static async Task<bool> AddedElsewhere(HttpClient caseworker, Guid caseId, string number) =>
        (await CaseClient.AddMember(caseworker, caseId, "Rotert Person", "parent", IdentityNumbers.BirthDateOf(number), number))
        .GetProperty("alsoInOtherHousehold").GetBoolean();

    private static async Task<JsonElement> Status(HttpClient admin)
    {
        var response = await admin.GetAsync("/api/cases/admin/key-rotation");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Dictionary<int, (bool Configured, bool Active, int Count, bool CanRetire)> Keys(JsonElement status, string kind) =>
        status.GetProperty(kind).EnumerateArray().ToDictionary(k => k.GetProperty("keyId").GetInt32(), k => (
            k.GetProperty("configured").GetBoolean(), k.GetProperty("active").GetBoolean(),
            k.GetProperty("identityNumbers").GetInt32(), k.GetProperty("canRetire").GetBoolean()));

    private static async Task WaitFor(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await done())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, what);
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task A_new_lookup_key_rehashes_every_person_and_nobody_is_unfindable_or_unlinked_before_during_or_after()
    {
        await using var database = await TestDatabase.Create("cases_lookuprot");
        var numbers = new List<string>();
        while (numbers.Count < 5)
        {
            var number = IdentityNumbers.Adult();
            if (!numbers.Contains(number))
            {
                numbers.Add(number);
            }
        }
        var casesOf = numbers.ToDictionary(n => n, _ => new List<Guid>());

        // Before: everyone recorded under lookup key 1, in one household.
        using (var before = new ServiceFactory<CasesMarker>(Settings(database, Key1Only), realPort: false))
        {
            before.Start();
            using var kari = Client(before, "caseworker");
            var old = await CaseClient.Open(kari, "Familien Før");
            foreach (var number in numbers.Take(4))
            {
                (await AddedElsewhere(kari, old, number)).ShouldBeFalse();
                casesOf[number].Add(old);
            }
        }
        (await database.Scalar<long>("SELECT count(*) FROM cases.persons WHERE identity_number_lookup_key_id = 1 AND identity_number_lookup_other IS NULL"))
            .ShouldBe(4);

        // The window: one replica already on keys 1 and 2 (key 2 active), one still on key 1 alone.
        using (var rotated = new ServiceFactory<CasesMarker>(Settings(database, Key1And2), realPort: false))
        using (var lagging = new ServiceFactory<CasesMarker>(Settings(database, Key1Only), realPort: false))
        {
            rotated.Start();
            lagging.Start();
            using var onBoth = Client(rotated, "caseworker");
            using var onKey1 = Client(lagging, "caseworker");
            using var admin = Client(rotated, "admin");

            // A person recorded in a new household is linked to their record in the old one, whichever replica records it.
            var fresh = await CaseClient.Open(onBoth, "Familien Under");
            (await AddedElsewhere(onBoth, fresh, numbers[0])).ShouldBeTrue("the old record has key 1's hash only, or both after the job");
            casesOf[numbers[0]].Add(fresh);
            var fromLagging = await CaseClient.Open(onKey1, "Familien Etternøler");
            (await AddedElsewhere(onKey1, fromLagging, numbers[0])).ShouldBeTrue("the new record has key 1's hash beside key 2's");
            casesOf[numbers[0]].Add(fromLagging);
            // A number first recorded by the replica on key 1 alone, during the window, then by the rotated one.
            (await AddedElsewhere(onKey1, fromLagging, numbers[4])).ShouldBeFalse();
            casesOf[numbers[4]].Add(fromLagging);
            (await AddedElsewhere(onBoth, fresh, numbers[4])).ShouldBeTrue();
            casesOf[numbers[4]].Add(fresh);

            // Looked up by number from either replica: every case of the person.
            foreach (var number in numbers)
            {
                (await CasesOf(onBoth, number)).ShouldBe(casesOf[number].Order().ToList());
                (await CasesOf(onKey1, number)).ShouldBe(casesOf[number].Order().ToList());
            }

            // The job starts with the service; one more pass takes the rows the lagging replica wrote after it.
            var job = rotated.Services.GetRequiredService<IdentityNumberRehash>();
            await job.RehashAll(CancellationToken.None);
            (await job.RehashAll(CancellationToken.None)).ShouldBe(0, "a second pass finds nothing left to rehash");
            var persons = await database.Scalar<long>("SELECT count(*) FROM cases.persons WHERE identity_number_lookup IS NOT NULL");
            persons.ShouldBe(8);
            (await database.Scalar<long>("""
                SELECT count(*) FROM cases.persons
                WHERE identity_number_lookup_key_id = 2 AND identity_number_lookup_other_key_id = 1
                """)).ShouldBe(persons, "every person has both hashes through the window");
            (await database.Scalar<long>("""
                SELECT count(*) FROM cases.household_members m JOIN cases.persons p ON p.id = m.person_id
                WHERE m.identity_number_lookup = p.identity_number_lookup AND m.identity_number_lookup_other = p.identity_number_lookup_other
                """)).ShouldBe(persons, "the memberships carry both hashes too");

            var status = await Status(admin);
            Keys(status, "lookupKeys").ShouldBe(new Dictionary<int, (bool, bool, int, bool)>
            {
                [1] = (true, false, (int)persons, true),
                [2] = (true, true, (int)persons, false),
            });
            Keys(status, "encryptionKeys").ShouldBe(new Dictionary<int, (bool, bool, int, bool)> { [1] = (true, true, (int)persons, false) });
            status.GetProperty("lookupPending").GetInt32().ShouldBe(0);
            using var officer = Client(rotated, "privacy-officer");
            Keys(await Status(officer), "lookupKeys").Keys.Order().ShouldBe([1, 2]);
            (await onBoth.GetAsync("/api/cases/admin/key-rotation")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

            // Taking a number away (as the anonymisation does, setting the hash to null) takes both hashes, on the
            // record and, through the foreign key, on its memberships.
            await using (var connection = new NpgsqlConnection(database.ConnectionString))
            {
                await connection.OpenAsync();
                await using var tx = await connection.BeginTransactionAsync();
                var cleared = await connection.ExecuteScalarAsync<Guid>(
                    """
                    UPDATE cases.persons SET identity_number_encrypted = NULL, identity_number_lookup = NULL
                    WHERE id = (SELECT min(id::text)::uuid FROM cases.persons) RETURNING id
                    """, transaction: tx);
                (await connection.ExecuteScalarAsync<long>("""
                    SELECT (SELECT count(*) FROM cases.persons WHERE id = @cleared AND (identity_number_lookup_other IS NOT NULL OR identity_number_lookup_other_key_id IS NOT NULL))
                         + (SELECT count(*) FROM cases.household_members WHERE person_id = @cleared AND (identity_number_lookup IS NOT NULL OR identity_number_lookup_other IS NOT NULL))
                    """, new { cleared }, tx)).ShouldBe(0);
                await tx.RollbackAsync();
            }

            foreach (var number in numbers)
            {
                (await CasesOf(onBoth, number)).ShouldBe(casesOf[number].Order().ToList());
                (await CasesOf(onKey1, number)).ShouldBe(casesOf[number].Order().ToList(), "key 1's hashes are kept until it is retired");
            }
        }

        // After: key 1 out of configuration. The job drops its hashes; everyone is still found and linked.
        using var after = new ServiceFactory<CasesMarker>(Settings(database, Key2Only), realPort: false);
        after.Start();
        using var caseworker = Client(after, "caseworker");
        using var operatorClient = Client(after, "admin");
        await WaitFor(async () => await database.Scalar<long>("SELECT count(*) FROM cases.persons WHERE identity_number_lookup_other IS NOT NULL") == 0,
            "the job drops the hashes under key 1");
        (await database.Scalar<long>("SELECT count(*) FROM cases.household_members WHERE identity_number_lookup_other IS NOT NULL")).ShouldBe(0);
        foreach (var number in numbers)
        {
            (await CasesOf(caseworker, number)).ShouldBe(casesOf[number].Order().ToList());
        }
        var last = await CaseClient.Open(caseworker, "Familien Etter");
        (await AddedElsewhere(caseworker, last, numbers[1])).ShouldBeTrue();
        var afterStatus = await Status(operatorClient);
        Keys(afterStatus, "lookupKeys").ShouldBe(new Dictionary<int, (bool, bool, int, bool)> { [2] = (true, true, 9, false) });
        afterStatus.GetProperty("lookupPending").GetInt32().ShouldBe(0);
    }

    [Theory]
    [InlineData("lookup-twice", "LookupKeys 1, 2 are the same key")]
    [InlineData("lookup-is-encryption", "must be different keys (encryption key 1 is lookup key 2)")]
    public async Task Cases_does_not_start_with_two_equal_lookup_keys_or_a_lookup_key_equal_to_an_encryption_key(string configuration, string message)
    {
        await using var database = await TestDatabase.Create("cases_lookuprot");
        using var factory = new ServiceFactory<CasesMarker>(Settings(database, new()
        {
            ["Cases:PersonalData:LookupKey"] = Lookup1,
            ["Cases:PersonalData:LookupKeys:2"] = configuration == "lookup-twice" ? Lookup1 : Encryption,
            ["Cases:PersonalData:ActiveLookupKeyId"] = "2",
        }), realPort: false);

        var failure = Should.Throw<Exception>(() => factory.Start());

        failure.ToString().ShouldContain(message);
    }
}
