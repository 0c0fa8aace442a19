using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.ServiceDefaults;

namespace Samskaping.Messaging.Database;

public static class DatabaseExtensions
{
    /// <summary>
    /// The service's own PostgreSQL database: an <see cref="NpgsqlDataSource"/>, migrations from
    /// <paramref name="migrations"/> (plus the outbox and inbox tables) applied at start-up, a readiness check, and the
    /// request's <see cref="DbSession"/>. A building block with tables of its own calls it too: the second call only
    /// adds its migrations.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase(this IHostApplicationBuilder builder, Assembly migrations)
    {
        var registered = builder.Services.Select(d => d.ImplementationInstance).OfType<MigrationAssemblies>().FirstOrDefault();
        if (registered is not null)
        {
            registered.Add(migrations);
            return builder;
        }

        var assemblies = new MigrationAssemblies();
        assemblies.Add(migrations);
        builder.Services.AddSingleton(assemblies);
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .Configure<IConfiguration>((o, config) => o.ConnectionString = config.GetConnectionString("Database") ?? o.ConnectionString)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Registered before the bus and the relay: hosted services start in order, and both need the schema.
        builder.Services.AddHostedService<DatabaseMigrator>();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var dataSource = new NpgsqlDataSourceBuilder(options.ConnectionString);
            dataSource.ConnectionStringBuilder.ApplicationName ??= builder.Environment.ApplicationName;
            PooledConnections.Apply(dataSource.ConnectionStringBuilder, options.ConnectionString);
            // Trace SQL only inside a request or a consumer: the outbox relay's polling would otherwise fill the
            // dashboard with a root trace every few seconds.
            dataSource.ConfigureTracing(t => t
                .ConfigureCommandFilter(_ => Activity.Current is not null)
                .ConfigureBatchFilter(_ => Activity.Current is not null));
            return dataSource.Build();
        });
        builder.Services.AddScoped<DbSession>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [Extensions.ReadyTag]);
        return builder;
    }
}

/// <summary>The assemblies whose embedded <c>Migrations/*.sql</c> make up a service's schema, this one's first.</summary>
public sealed class MigrationAssemblies
{
    private readonly List<Assembly> _assemblies = [typeof(MigrationAssemblies).Assembly];

    public IReadOnlyList<Assembly> All => _assemblies;

    public void Add(Assembly assembly)
    {
        if (!_assemblies.Contains(assembly))
        {
            _assemblies.Add(assembly);
        }
    }
}
