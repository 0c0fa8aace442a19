namespace Samskaping.IntegrationTests.Infrastructure;

/// <summary>
/// The credentials the NAV-style simulator expects and the benefits service presents, shared by every test that
/// runs them together. The signing key is fresh per test run.
/// </summary>
public static class NavSimulatorSettings
{
    public const string ClientId = "samskaping-benefits-test";
    public const string ClientSecret = "client-secret-of-the-test-run";
    public const string IntegrasjonId = "test-integrasjon";
    public const string IntegrasjonPassord = "integrasjon-passord-of-the-test-run";
    public const string FiksOrgId = "11415cd1-e26d-499a-8421-751457dfcbd5";
    public const string Issuer = "nav-simulator-test";
    public const string ApiAudience = "nav-simulator-api";

    public static readonly string SigningKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>Settings for the simulator itself.</summary>
    public static Dictionary<string, string?> Simulator() => new()
    {
        ["NavSimulator:Issuer"] = Issuer,
        ["NavSimulator:ApiAudience"] = ApiAudience,
        ["NavSimulator:SigningKey"] = SigningKey,
        ["NavSimulator:ClientId"] = ClientId,
        ["NavSimulator:ClientSecret"] = ClientSecret,
        ["NavSimulator:IntegrasjonId"] = IntegrasjonId,
        ["NavSimulator:IntegrasjonPassord"] = IntegrasjonPassord,
    };

    /// <summary>The benefits service's settings for reaching the simulator at <paramref name="simulator"/> and cases at <paramref name="cases"/>.</summary>
    public static Dictionary<string, string?> Benefits(Uri simulator, Uri cases) => new()
    {
        ["Benefits:Nav:BaseUrl"] = simulator.ToString(),
        ["Benefits:Nav:TokenEndpoint"] = new Uri(simulator, "/token").ToString(),
        ["Benefits:Nav:ClientId"] = ClientId,
        ["Benefits:Nav:ClientSecret"] = ClientSecret,
        ["Benefits:Nav:FiksOrgId"] = FiksOrgId,
        ["Benefits:Nav:IntegrasjonId"] = IntegrasjonId,
        ["Benefits:Nav:IntegrasjonPassord"] = IntegrasjonPassord,
        ["Benefits:Cases:BaseUrl"] = cases.ToString(),
    };
}
