using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Samskaping.Bench.SystemUnderTest;

/// <summary>The settings the processes of a <see cref="BenchSystem"/> are started with.</summary>
public sealed partial class BenchSystem
{
    /// <summary>What every process gets: how it checks tokens, and the per-user rate limit raised out of the way of one load user.</summary>
    private Dictionary<string, string> Common()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Auth:Audience"] = Audience,
            ["RateLimiting:BurstLimit"] = "100000",
            ["RateLimiting:PermitsPerSecond"] = "100000",
        };
        if (_layout.SignIn)
        {
            settings["Auth:Authority"] = IdentityUrl;
            settings["Auth:Issuer"] = IdentityUrl;
        }
        else
        {
            settings["Auth:Issuer"] = Issuer;
            settings["Auth:SigningKey"] = _signingKey;
        }
        return settings;
    }

    /// <summary>
    /// The baseline is due at once and the follow-ups open now, so the growth benchmark's probes can answer the
    /// baseline and the follow-ups as soon as their cases are active (Growth/ProbeAnswers.cs).
    /// </summary>
    private Dictionary<string, string> OutcomesSettings()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Outcomes:PseudonymKey"] = "bench-only-pseudonyms-" + _signingKey,
            ["Schedules:BaselineDueAfter"] = "00:00:00",
            ["Schedules:FollowUpOpensBefore"] = "90.00:00:00",
        };
        for (var i = 0; i < Growth.ProbeAnswers.FollowUpMonths.Count; i++)
        {
            settings[$"Schedules:FollowUpMonths:{i}"] = Growth.ProbeAnswers.FollowUpMonths[i].ToString(CultureInfo.InvariantCulture);
        }
        return settings;
    }

    /// <summary>Development-only secrets derived from this run's signing key, as the AppHost does for ./samskaping up.</summary>
    private string Key(string purpose) =>
        Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(_signingKey), Encoding.UTF8.GetBytes(purpose)));
}
