using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.PersonalData;

/// <summary>One key of a rotation: how many stored identity numbers are under it, and whether it can leave configuration now.</summary>
public sealed record KeyStatusDto(int KeyId, bool Configured, bool Active, int IdentityNumbers, bool CanRetire);

/// <summary>
/// Both rotations of the identity-number keys. <c>LookupPending</c> is how many persons the rehash job has still to
/// rewrite (hashes to add under the active key, or under a retired key to drop).
/// </summary>
public sealed record KeyRotationStatusDto(IReadOnlyList<KeyStatusDto> EncryptionKeys, IReadOnlyList<KeyStatusDto> LookupKeys, int LookupPending);

/// <summary>
/// GET /api/cases/admin/key-rotation: the progress of the encryption-key and lookup-key rotations, for the operator who
/// runs them and the privacy officer (docs/operations.md, Key rotation). Counts only: nothing about any person.
/// </summary>
public static class KeyRotationApi
{
    public static void MapKeyRotationEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapApiGroup("/api/cases/admin", "Key rotation", Policies.PrivacyOfficerOrAdmin);
        admin.MapGet("/key-rotation", Status)
            .WithName("GetKeyRotationStatus")
            .WithSummary("How many identity numbers are under each encryption key and each lookup key, and which keys can be retired (privacy officers and admins)")
            .WithDescription(
                "An encryption key can be retired when it is not the active one and no identity number is sealed with it. A lookup " +
                "key can be retired when it is not the active one and every identity number is hashed under the active lookup key " +
                "too. Keys that are no longer configured but still named by stored rows are listed with configured false. " +
                "Every replica must run with the new configuration before a key is retired (docs/operations.md, Key rotation).");
    }

    public static async Task<Ok<KeyRotationStatusDto>> Status(
        PersonalDataProtector protector, IdentityNumberReencryption reencryption, IdentityNumberRehash rehash, CancellationToken ct)
    {
        var sealedBy = await reencryption.CountByKeyId(ct);
        var encryption = protector.KeyIds.Union(sealedBy.Keys).Order().Select(id =>
        {
            var count = sealedBy.GetValueOrDefault(id);
            var active = id == protector.ActiveKeyId;
            return new KeyStatusDto(id, protector.KeyIds.Contains(id), active, count, !active && count == 0);
        }).ToList();
        var hashed = await rehash.Count(ct);
        var lookup = protector.LookupKeyIds.Union(hashed.ByKeyId.Keys).Order().Select(id =>
        {
            var active = id == protector.ActiveLookupKeyId;
            return new KeyStatusDto(id, protector.LookupKeyIds.Contains(id), active, hashed.ByKeyId.GetValueOrDefault(id),
                !active && hashed.WithoutActiveKey == 0);
        }).ToList();
        return TypedResults.Ok(new KeyRotationStatusDto(encryption, lookup, hashed.Pending));
    }
}
