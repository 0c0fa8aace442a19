using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Samskaping.Workspace;

/// <summary>The workspace's own database: the data-protection key ring and the server-side sessions.</summary>
public sealed class WorkspaceStore(DbContextOptions<WorkspaceStore> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<SessionTicket> SessionTickets => Set<SessionTicket>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SessionTicket>(e =>
        {
            e.ToTable("session_tickets");
            e.HasKey(t => t.Id);
            e.Property(t => t.Id).HasColumnName("id").HasMaxLength(64);
            e.Property(t => t.Value).HasColumnName("value");
            e.Property(t => t.ExpiresAt).HasColumnName("expires_at");
            e.HasIndex(t => t.ExpiresAt);
        });
    }
}

/// <summary>A signed-in person's session (the authentication ticket with the tokens), encrypted; the cookie holds only its id.</summary>
public sealed class SessionTicket
{
    public string Id { get; set; } = "";

    public byte[] Value { get; set; } = [];

    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>Creates the database and its tables when missing, before the workspace takes traffic.</summary>
internal sealed class WorkspaceStoreCreation(IServiceProvider services) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WorkspaceStore>().Database.EnsureCreatedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
