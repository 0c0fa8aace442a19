using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Samskaping.Workspace.SignIn;

/// <summary>
/// Sessions on the server, in the workspace's database: the person's claims and tokens, encrypted with the shared
/// data-protection keys. The cookie carries only a random id, so no token ever reaches the browser, a stolen cookie
/// dies when the session is ended, and the cookie stays small whatever the provider puts in its tokens.
/// </summary>
internal sealed class SessionTicketStore(IServiceScopeFactory scopes, IDataProtectionProvider protection, TimeProvider clock) : ITicketStore
{
    private readonly IDataProtector _protector = protection.CreateProtector("Samskaping.Workspace.SessionTickets");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<WorkspaceStore>();
        // Ended sessions are cleared as new ones begin: nothing else has to run for the table to stay small.
        await store.SessionTickets.Where(t => t.ExpiresAt < clock.GetUtcNow()).ExecuteDeleteAsync();
        store.SessionTickets.Add(new SessionTicket { Id = id, Value = Protect(ticket), ExpiresAt = ExpiresAt(ticket) });
        await store.SaveChangesAsync();
        return id;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<WorkspaceStore>();
        var value = Protect(ticket);
        var expiresAt = ExpiresAt(ticket);
        await store.SessionTickets.Where(t => t.Id == key)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Value, value).SetProperty(t => t.ExpiresAt, expiresAt));
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<WorkspaceStore>();
        var row = await store.SessionTickets.AsNoTracking().SingleOrDefaultAsync(t => t.Id == key);
        if (row is null || row.ExpiresAt < clock.GetUtcNow())
        {
            return null;
        }
        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(row.Value));
        }
        catch (CryptographicException)
        {
            // A key that was revoked or lost: the person signs in again.
            return null;
        }
    }

    public async Task RemoveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WorkspaceStore>().SessionTickets.Where(t => t.Id == key).ExecuteDeleteAsync();
    }

    private byte[] Protect(AuthenticationTicket ticket) => _protector.Protect(TicketSerializer.Default.Serialize(ticket));

    private DateTimeOffset ExpiresAt(AuthenticationTicket ticket) =>
        ticket.Properties.ExpiresUtc ?? clock.GetUtcNow().AddHours(12);
}
