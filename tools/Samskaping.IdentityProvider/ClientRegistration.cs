using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Samskaping.IdentityProvider;

/// <summary>
/// Creates the provider's database when it is missing and makes the registered clients exactly those configured,
/// before the process takes traffic: a client is a line of configuration, not a row someone inserts by hand.
/// </summary>
public sealed class ClientRegistration(IServiceProvider services, IOptions<IdentityProviderOptions> options) : IHostedService
{
    /// <summary>The public client of <c>./samskaping token</c>: it may use the development grant and nothing else.</summary>
    public const string CliClientId = "samskaping-cli";

    /// <summary>A service's client id: <c>samskaping-&lt;service&gt;</c>.</summary>
    public static string ServiceClientId(string service) => "samskaping-" + service;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IdentityStore>().Database.EnsureCreatedAsync(cancellationToken);
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var wanted = Descriptors(options.Value).ToList();
        foreach (var descriptor in wanted)
        {
            if (await applications.FindByClientIdAsync(descriptor.ClientId!, cancellationToken) is { } existing)
            {
                await applications.UpdateAsync(existing, descriptor, cancellationToken);
            }
            else
            {
                await applications.CreateAsync(descriptor, cancellationToken);
            }
        }
        var ids = wanted.Select(d => d.ClientId).ToHashSet(StringComparer.Ordinal);
        var stale = new List<object>();
        await foreach (var application in applications.ListAsync(cancellationToken: cancellationToken))
        {
            if (!ids.Contains(await applications.GetClientIdAsync(application, cancellationToken)))
            {
                stale.Add(application);
            }
        }
        foreach (var application in stale)
        {
            await applications.DeleteAsync(application, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static IEnumerable<OpenIddictApplicationDescriptor> Descriptors(IdentityProviderOptions options)
    {
        foreach (var (name, client) in options.WebClients)
        {
            var web = new OpenIddictApplicationDescriptor
            {
                ClientId = client.ClientId ?? name,
                ClientSecret = client.ClientSecret,
                ClientType = ClientTypes.Confidential,
                ConsentType = ConsentTypes.Implicit,
                DisplayName = client.DisplayName ?? name,
                Permissions =
                {
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                    Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
                    Permissions.Scopes.Profile, Permissions.Scopes.Roles,
                },
                // A web client must prove it started the sign-in it redeems (RFC 7636), even though it has a secret.
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            };
            web.RedirectUris.UnionWith(client.RedirectUris);
            web.PostLogoutRedirectUris.UnionWith(client.PostLogoutRedirectUris);
            yield return web;
        }
        foreach (var (service, secret) in options.ServiceClients)
        {
            yield return new OpenIddictApplicationDescriptor
            {
                ClientId = ServiceClientId(service),
                ClientSecret = secret,
                ClientType = ClientTypes.Confidential,
                DisplayName = service,
                Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
            };
        }
        // Public: the development provider has no passwords — whoever reaches it may sign in as any demo person on its
        // page, so a secret on the command line's client would protect nothing.
        yield return new OpenIddictApplicationDescriptor
        {
            ClientId = CliClientId,
            ClientType = ClientTypes.Public,
            DisplayName = "./samskaping token",
            Permissions = { Permissions.Endpoints.Token, Permissions.Prefixes.GrantType + Tokens.DevelopmentGrant },
        };
    }
}
