namespace Samskaping.IntegrationTests.Security.Fuzz;

/// <summary>
/// The headers of a <see cref="FuzzRequest"/>: its Idempotency-Key, the one extra header it carries (hostile, beyond
/// ASCII, with control characters, an Accept that is not JSON) and its body's Content-Type (JSON, another media type,
/// or JSON with odd parameters). Values are sent as written: the in-memory gateway reads them as Kestrel would hand
/// them over after decoding the bytes as UTF-8.
/// </summary>
internal static class FuzzHeaders
{
    private static readonly string[] CarriersOfText = ["X-Fuzz-Note", "User-Agent", "Accept-Language", "X-Correlation-Id", "Referer"];

    public static void Add(HttpRequestMessage message, FuzzRequest request)
    {
        if (request.Operation.TakesIdempotencyKey || request.Key is KeyKind.Hostile or KeyKind.BeyondAscii)
        {
            switch (request.Key)
            {
                case KeyKind.Fresh: message.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString()); break;
                case KeyKind.Empty: message.Headers.TryAddWithoutValidation("Idempotency-Key", ""); break;
                case KeyKind.Duplicated: message.Headers.TryAddWithoutValidation("Idempotency-Key", [Guid.NewGuid().ToString(), Guid.NewGuid().ToString()]); break;
                case KeyKind.Hostile: message.Headers.TryAddWithoutValidation("Idempotency-Key", HeaderSafe(request.KeyText)); break;
                case KeyKind.BeyondAscii: message.Headers.TryAddWithoutValidation("Idempotency-Key", $"nøkkel-{Guid.NewGuid():N}-{Pick(HostileValues.BeyondAscii, request.HeaderPick)}"); break;
                case KeyKind.Missing: break;
            }
        }
        var carrier = CarriersOfText[request.HeaderPick / 16 % CarriersOfText.Length];
        switch (request.Header)
        {
            case HeaderKind.HostileCorrelation: message.Headers.TryAddWithoutValidation("X-Correlation-Id", HeaderSafe(request.HeaderText)); break;
            case HeaderKind.ForwardedGarbage:
                message.Headers.TryAddWithoutValidation("X-Forwarded-For", "999.1.1.1, ::ffff:zz, " + HeaderSafe(request.HeaderText));
                message.Headers.TryAddWithoutValidation("X-Forwarded-Host", "attacker.example");
                message.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "gopher");
                break;
            case HeaderKind.LongHeader: message.Headers.TryAddWithoutValidation("X-Fuzz", new string('h', 16_000)); break;
            case HeaderKind.AcceptXml: message.Headers.TryAddWithoutValidation("Accept", "application/xml, text/html;q=0.9, */*;q=0.1"); break;
            case HeaderKind.HostileAcceptLanguage: message.Headers.TryAddWithoutValidation("Accept-Language", "zz-ZZ, ;q=abc, " + HeaderSafe(request.HeaderText)); break;
            case HeaderKind.HostileUserAgent: message.Headers.TryAddWithoutValidation("User-Agent", HeaderSafe(request.HeaderText)); break;
            case HeaderKind.AcceptHtml: message.Headers.TryAddWithoutValidation("Accept", "text/html"); break;
            case HeaderKind.AcceptOdd: message.Headers.TryAddWithoutValidation("Accept", Pick(HostileValues.AcceptValues, request.HeaderPick)); break;
            case HeaderKind.BeyondAscii: message.Headers.TryAddWithoutValidation(carrier, Pick(HostileValues.BeyondAscii, request.HeaderPick)); break;
            // A header of its own: .NET drops an invalid value of a header it parses (User-Agent, Referer), and the
            // gateway replaces an odd X-Correlation-Id, so the request would go on without the control character.
            case HeaderKind.ControlCharacters: message.Headers.TryAddWithoutValidation("X-Fuzz-Note", Pick(HostileValues.ControlCharacters, request.HeaderPick)); break;
            case HeaderKind.None: break;
        }
    }

    /// <summary>Sets the body's Content-Type as the request says: parsed where it parses, as raw text where it does not.</summary>
    public static void SetContentType(HttpContent content, FuzzRequest request)
    {
        content.Headers.ContentType = null;
        var raw = request.Content switch
        {
            ContentKind.Json => "application/json; charset=utf-8",
            ContentKind.Missing => null,
            ContentKind.TextPlain => "text/plain",
            ContentKind.Xml => "application/xml",
            ContentKind.Form => "application/x-www-form-urlencoded",
            ContentKind.UnknownCharset => "application/json; charset=klingon-8",
            ContentKind.Utf16Charset => "application/json; charset=utf-16",
            ContentKind.Multipart => "multipart/form-data; boundary=\"--x\"",
            ContentKind.QuotedCharset => "application/json; charset=\"utf-8\"",
            ContentKind.QuotedUnknownCharset => "application/json; charset=\"klingon-8\"",
            ContentKind.OddCharset => Pick(HostileValues.OddCharsets, request.HeaderPick),
            ContentKind.JsonWithParameters => Pick(HostileValues.JsonWithParameters, request.HeaderPick),
            ContentKind.JsonLike => Pick(HostileValues.JsonLike, request.HeaderPick),
            ContentKind.MalformedType => Pick(HostileValues.MalformedTypes, request.HeaderPick),
            _ => null,
        };
        if (raw is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", raw);
        }
    }

    /// <summary>
    /// Hostile text as an HTTP client library puts it on the wire: ASCII without control characters, so anything else
    /// is percent-encoded (<see cref="HeaderKind.BeyondAscii"/> and <see cref="HeaderKind.ControlCharacters"/> send raw text).
    /// </summary>
    private static string HeaderSafe(string text)
    {
        var value = text.Length > 4_000 ? text[..4_000] : text;
        return value.All(c => c is >= ' ' and < '\u007f') ? value : Uri.EscapeDataString(value);
    }

    private static string Pick(string[] values, int pick) => values[pick % values.Length];
}
