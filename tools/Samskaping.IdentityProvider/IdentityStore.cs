using Microsoft.EntityFrameworkCore;

namespace Samskaping.IdentityProvider;

/// <summary>
/// OpenIddict's own tables (applications, authorizations, scopes, tokens) in the provider's own database: authorization
/// codes are redeemed once, and a refresh token's family is revoked when one is replayed, as in a production provider.
/// </summary>
public sealed class IdentityStore(DbContextOptions<IdentityStore> options) : DbContext(options);
