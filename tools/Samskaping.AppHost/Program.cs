using Microsoft.Extensions.Configuration;
using Npgsql;

// The addresses of the local PostgreSQL and RabbitMQ, the development secret and the identity provider's RSA key file,
// from ./samskaping.
var builder = DistributedApplication.CreateBuilder(args);
var postgres = Required(builder.Configuration, "SAMSKAPING_POSTGRES");
var rabbitMq = Required(builder.Configuration, "SAMSKAPING_RABBITMQ");
var signingKey = Required(builder.Configuration, "SAMSKAPING_DEV_SECRET");
var audience = Required(builder.Configuration, "SAMSKAPING_AUTH_AUDIENCE");
var identityKeyFile = Required(builder.Configuration, "SAMSKAPING_IDP_KEY_FILE");

// The development identity provider, started first: the gateway and the services know it only by its address
// (Auth:Authority) and take their keys from its discovery document, exactly as from a municipality's provider.
const string identityUrl = "http://127.0.0.1:5087/";
string[] callingServices = ["cases", "benefits"];
var identity = builder.AddProject<Projects.Samskaping_IdentityProvider>("identity", launchProfileName: null)
    .WithHttpEndpoint(port: 5087, isProxied: false)
    .WithEnvironment("ConnectionStrings__Database", new NpgsqlConnectionStringBuilder(postgres) { Database = "samskaping_identity" }.ConnectionString)
    .WithEnvironment("IdentityProvider__Issuer", identityUrl)
    .WithEnvironment("IdentityProvider__Audience", audience)
    .WithEnvironment("IdentityProvider__SigningKeyFile", identityKeyFile)
    .WithHttpHealthCheck("/health/ready");
foreach (var service in callingServices)
{
    identity.WithEnvironment($"IdentityProvider__ServiceClients__{service}", DevelopmentKey(signingKey, $"identity-service-client-{service}"));
}

IResourceBuilder<ProjectResource> Service<TProject>(string name, int port) where TProject : IProjectMetadata, new()
{
    var service = ValidatesThroughIdentity(builder.AddProject<TProject>(name, launchProfileName: null))
        .WithHttpEndpoint(port: port, isProxied: false)
        .WithEnvironment("ConnectionStrings__Database", new NpgsqlConnectionStringBuilder(postgres) { Database = $"samskaping_{name}" }.ConnectionString)
        .WithEnvironment("ConnectionStrings__RabbitMq", rabbitMq)
        .WithEnvironment("Database__CreateIfMissing", "true")
        .WithHttpHealthCheck("/health/ready");
    if (callingServices.Contains(name))
    {
        // Its tokens for other services' internal endpoints: client credentials at the identity provider.
        service.WithEnvironment("ServiceAuth__TokenEndpoint", identityUrl + "connect/token")
            .WithEnvironment("ServiceAuth__ClientId", "samskaping-" + name)
            .WithEnvironment("ServiceAuth__ClientSecret", DevelopmentKey(signingKey, $"identity-service-client-{name}"));
    }
    return service;
}

// The processes inherit the AppHost's environment: ./samskaping starts it without any Auth__ setting, so these are all
// a process knows about tokens (no signing key: it checks the provider's RS256 tokens and nothing else).
IResourceBuilder<ProjectResource> ValidatesThroughIdentity(IResourceBuilder<ProjectResource> process) => process
    .WithEnvironment("Auth__Authority", identityUrl)
    .WithEnvironment("Auth__Audience", audience)
    .WithEnvironment("Auth__Issuer", identityUrl)
    .WaitFor(identity);

// Development only: the keys protecting identity numbers at rest are derived from the local signing key that
// ./samskaping generated for this machine (one secret to keep, none in a file in the repository).
var cases = Service<Projects.Samskaping_Cases>("cases", 5081)
    .WithEnvironment("Cases__PersonalData__EncryptionKey", DevelopmentKey(signingKey, "cases-personal-data-encryption"))
    .WithEnvironment("Cases__PersonalData__LookupKey", DevelopmentKey(signingKey, "cases-personal-data-lookup"));
var coordination = Service<Projects.Samskaping_Coordination>("coordination", 5082);
var grants = Service<Projects.Samskaping_Grants>("grants", 5083);
var outcomes = Service<Projects.Samskaping_Outcomes>("outcomes", 5084)
    .WithEnvironment("Outcomes__PseudonymKey", "dev-only-pseudonyms-" + signingKey); // development only; production sets its own secret

// The NAV-style side, as its own process. Its credentials are development-only values derived from the local
// signing key; the benefits service is given the matching ones, exactly the keys a real benefit system needs.
var navSigningKey = DevelopmentKey(signingKey, "nav-simulator-signing");
var navClientSecret = DevelopmentKey(signingKey, "nav-simulator-client-secret");
var navIntegrasjonPassord = DevelopmentKey(signingKey, "nav-simulator-integrasjon-passord");
var simulator = builder.AddProject<Projects.Samskaping_NavSimulator>("nav-simulator", launchProfileName: null)
    .WithHttpEndpoint(port: 5086, isProxied: false)
    .WithEnvironment("NavSimulator__SigningKey", navSigningKey)
    .WithEnvironment("NavSimulator__ClientId", "samskaping-benefits")
    .WithEnvironment("NavSimulator__ClientSecret", navClientSecret)
    .WithEnvironment("NavSimulator__IntegrasjonId", "samskaping-dev")
    .WithEnvironment("NavSimulator__IntegrasjonPassord", navIntegrasjonPassord)
    // Its Digisos cases and documents survive a restart, as the real side's do (project-local, git-ignored).
    .WithEnvironment("NavSimulator__DataFile", Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "..", ".samskaping", "nav-simulator", "digisos.jsonl")))
    .WithHttpHealthCheck("/health/ready");
var simulatorUrl = simulator.GetEndpoint("http");
var benefits = Service<Projects.Samskaping_Benefits>("benefits", 5085)
    .WithEnvironment("Benefits__Nav__BaseUrl", simulatorUrl)
    .WithEnvironment("Benefits__Nav__TokenEndpoint", ReferenceExpression.Create($"{simulatorUrl}/token"))
    .WithEnvironment("Benefits__Nav__ClientId", "samskaping-benefits")
    .WithEnvironment("Benefits__Nav__ClientSecret", navClientSecret)
    .WithEnvironment("Benefits__Nav__FiksOrgId", "11415cd1-e26d-499a-8421-751457dfcbd5")
    .WithEnvironment("Benefits__Nav__IntegrasjonId", "samskaping-dev")
    .WithEnvironment("Benefits__Nav__IntegrasjonPassord", navIntegrasjonPassord)
    .WithEnvironment("Benefits__Cases__BaseUrl", cases.GetEndpoint("http"))
    // Inbound notifications carry tokens the simulator signs, as the benefit system's token issuer would.
    .WithEnvironment("Benefits__Inbound__Issuer", "nav-simulator")
    .WithEnvironment("Benefits__Inbound__SigningKey", navSigningKey)
    .WaitFor(simulator);
grants.WithEnvironment("Grants__Benefits__BaseUrl", benefits.GetEndpoint("http"));
foreach (var source in new[] { coordination, grants, outcomes, benefits })
{
    // Cases puts a person's access history together from every service's access log (privacy officer).
    var name = source.Resource.Name;
    cases.WithEnvironment($"Cases__AccessLogSources__{name}__BaseUrl", source.GetEndpoint("http"));
}

var gatewayPort = int.Parse(builder.Configuration["SAMSKAPING_GATEWAY_PORT"] ?? "5080", System.Globalization.CultureInfo.InvariantCulture);
var gateway = ValidatesThroughIdentity(builder.AddProject<Projects.Samskaping_Gateway>("gateway", launchProfileName: null))
    .WithHttpEndpoint(port: gatewayPort, isProxied: false)
    .WithHttpHealthCheck("/health/ready");

// The workspace, at the gateway's root: a confidential web client of the identity provider (code flow with PKCE),
// calling the API back through the gateway with each person's token.
var workspacePublicUrl = $"http://127.0.0.1:{gatewayPort}/";
var workspaceSecret = DevelopmentKey(signingKey, "identity-web-client-workspace");
identity.WithEnvironment("IdentityProvider__WebClients__workspace__ClientSecret", workspaceSecret)
    .WithEnvironment("IdentityProvider__WebClients__workspace__DisplayName", "Samskaping")
    .WithEnvironment("IdentityProvider__WebClients__workspace__RedirectUris__0", workspacePublicUrl + "signin-oidc")
    .WithEnvironment("IdentityProvider__WebClients__workspace__PostLogoutRedirectUris__0", workspacePublicUrl + "signout-callback-oidc");
var workspace = builder.AddProject<Projects.Samskaping_Workspace>("workspace", launchProfileName: null)
    .WithHttpEndpoint(port: 5088, isProxied: false)
    .WithEnvironment("ConnectionStrings__Database", new NpgsqlConnectionStringBuilder(postgres) { Database = "samskaping_workspace" }.ConnectionString)
    .WithEnvironment("Workspace__ApiBaseUrl", workspacePublicUrl)
    .WithEnvironment("Workspace__Authority", identityUrl)
    .WithEnvironment("Workspace__ClientId", "workspace")
    .WithEnvironment("Workspace__ClientSecret", workspaceSecret)
    .WithHttpHealthCheck("/health/ready")
    .WaitFor(identity);
gateway.WithEnvironment("Gateway__WorkspaceAddress", workspace.GetEndpoint("http")).WaitFor(workspace);
foreach (var service in new[] { cases, coordination, grants, outcomes, benefits })
{
    // The gateway's YARP cluster for each service points at the port that service was given here.
    var name = service.Resource.Name;
    gateway.WithEnvironment($"ReverseProxy__Clusters__{name}__Destinations__{name}__Address", service.GetEndpoint("http")).WaitFor(service);
}

// The simulator sends its inbound notifications through the gateway, as the real benefit system would.
simulator.WithEnvironment("NavSimulator__Inbound__TargetUrl", ReferenceExpression.Create($"{gateway.GetEndpoint("http")}/api/benefits/inbound"));

builder.Build().Run();

static string DevelopmentKey(string signingKey, string purpose) =>
    Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(Convert.FromBase64String(signingKey), System.Text.Encoding.UTF8.GetBytes(purpose)));

static string Required(IConfiguration configuration, string name) =>
    configuration[name] is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"{name} is not set. Start the system with ./samskaping up, which sets it.");
