using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Samskaping.Chaos;

/// <summary>HS256 tokens shaped like <c>./samskaping token</c>'s, signed with the development key the services trust.</summary>
internal static class Tokens
{
    public static string For(ChaosEnvironment env, string sector, string role, string subject)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8.ToArray());
        var claims = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = env.Issuer, ["aud"] = env.Audience, ["sub"] = subject, ["name"] = $"Chaos {subject}",
            ["role"] = role, ["sector"] = sector, ["iat"] = now, ["nbf"] = now, ["exp"] = now + 3 * 3600,
            ["jti"] = Guid.NewGuid().ToString("N"),
        }));
        var input = $"{header}.{claims}";
        var signature = HMACSHA256.HashData(Convert.FromBase64String(env.SigningKey.Trim()), Encoding.ASCII.GetBytes(input));
        return $"{input}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
