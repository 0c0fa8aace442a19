using System.Net;
using System.Text.RegularExpressions;

namespace Samskaping.Bench.Workspace;

/// <summary>
/// What the benchmark needs of a browser: cookies kept per host as a browser keeps them (the identity provider and the
/// gateway are both 127.0.0.1), redirects followed one by one so every hop's cookies are kept, and the sign-in page's
/// form posted. Compression is left to the caller, so bytes on the wire can be counted.
/// </summary>
internal sealed partial class SignedInBrowser : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        MaxConnectionsPerServer = 64,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    })
    { Timeout = TimeSpan.FromSeconds(30) };

    private readonly Dictionary<string, Dictionary<string, string>> _cookies = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Signs in at <paramref name="start"/> as the demo person whose button on the provider's page names them.</summary>
    public async Task SignIn(Uri start, string person, CancellationToken ct)
    {
        var (page, at) = await Follow(new HttpRequestMessage(HttpMethod.Get, start), ct);
        var form = Form().Match(page);
        var button = Buttons().Matches(page).FirstOrDefault(b => WebUtility.HtmlDecode(b.Groups["label"].Value).Contains(person, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"the sign-in page at {at} has no button for {person}");
        if (!form.Success)
        {
            throw new InvalidOperationException($"no sign-in form at {at}");
        }
        var fields = Hidden().Matches(page).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["account"] = WebUtility.HtmlDecode(button.Groups["value"].Value);
        var post = new HttpRequestMessage(HttpMethod.Post, new Uri(at, WebUtility.HtmlDecode(form.Groups["action"].Value))) { Content = new FormUrlEncodedContent(fields) };
        var (home, landed) = await Follow(post, ct);
        if (landed.Authority != start.Authority || !home.Contains("Mitt arbeid", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"signing in as {person} ended at {landed}, not at the workspace's start page");
        }
    }

    /// <summary>One request with this browser's cookies, not following a redirect; the answer's cookies are kept.</summary>
    public async Task<HttpResponseMessage> Send(HttpRequestMessage request, CancellationToken ct)
    {
        lock (_cookies)
        {
            if (_cookies.TryGetValue(request.RequestUri!.Host, out var jar) && jar.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}")));
            }
        }
        var response = await _http.SendAsync(request, ct);
        if (response.Headers.TryGetValues("Set-Cookie", out var set))
        {
            Keep(request.RequestUri!.Host, set);
        }
        return response;
    }

    private async Task<(string Body, Uri At)> Follow(HttpRequestMessage request, CancellationToken ct)
    {
        for (var hop = 0; hop < 12; hop++)
        {
            var at = request.RequestUri!;
            using var response = await Send(request, ct);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                request = new HttpRequestMessage(HttpMethod.Get, new Uri(at, location));
                continue;
            }
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadAsStringAsync(ct), at);
        }
        throw new InvalidOperationException("more than 12 redirects while signing in");
    }

    private void Keep(string host, IEnumerable<string> setCookies)
    {
        lock (_cookies)
        {
            var jar = _cookies.TryGetValue(host, out var found) ? found : _cookies[host] = new(StringComparer.Ordinal);
            foreach (var header in setCookies)
            {
                var pair = header.Split(';', 2)[0];
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var (name, value) = (pair[..equals].Trim(), pair[(equals + 1)..].Trim());
                // A cookie set empty or already expired is the server deleting it.
                if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    jar.Remove(name);
                }
                else
                {
                    jar[name] = value;
                }
            }
        }
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex(@"<form[^>]*method=""post""[^>]*action=""(?<action>[^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex Form();

    [GeneratedRegex(@"<input type=""hidden"" name=""(?<name>[^""]+)"" value=""(?<value>[^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex Hidden();

    [GeneratedRegex(@"<button type=""submit"" name=""account"" value=""(?<value>[^""]+)""[^>]*>(?<label>.*?)</button>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Buttons();
}
