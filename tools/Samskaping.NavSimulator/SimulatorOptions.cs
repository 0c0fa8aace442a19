using System.ComponentModel.DataAnnotations;

namespace Samskaping.NavSimulator;

/// <summary>
/// The simulator's own configuration (section <c>NavSimulator</c>). The secrets here are the other side's: the
/// benefits service is configured with the matching client id/secret and integration id/password.
/// </summary>
public sealed class SimulatorOptions
{
    public const string Section = "NavSimulator";

    /// <summary>Issuer of the tokens the simulator's token endpoint hands out (Maskinporten's role).</summary>
    [Required] public string Issuer { get; set; } = "nav-simulator";

    /// <summary>Audience the Digisos and look-up APIs require in a token.</summary>
    [Required] public string ApiAudience { get; set; } = "nav-simulator-api";

    /// <summary>Base64 of at least 32 bytes; signs every token the simulator issues (HS256).</summary>
    [Required] public string SigningKey { get; set; } = "";

    /// <summary>The one client allowed to fetch tokens with client credentials.</summary>
    [Required] public string ClientId { get; set; } = "";

    [Required] public string ClientSecret { get; set; } = "";

    /// <summary>Fiks integration credentials every Digisos call must carry as headers.</summary>
    [Required] public string IntegrasjonId { get; set; } = "";

    [Required] public string IntegrasjonPassord { get; set; } = "";

    [Range(30, 86400)] public int TokenLifetimeSeconds { get; set; } = 120;

    /// <summary>
    /// Where the Digisos cases and every accepted document are kept (one JSON line each, flushed to disk before the
    /// answer), so a restart forgets nothing, as a real benefit system would not. Empty: in memory only.
    /// </summary>
    public string? DataFile { get; set; }

    internal byte[] SigningKeyBytes() => Convert.FromBase64String(SigningKey);
}
