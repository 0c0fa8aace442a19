using System.Text.RegularExpressions;
using CsCheck;

namespace Samskaping.IntegrationTests.Security.Fuzz;

/// <summary>Who calls: a token the operation accepts (so the request reaches validation), or one of the broken ones.</summary>
internal enum Caller { Allowed, OtherSector, Anonymous, Expired, WrongAudience, WrongIssuer, WrongSignature, Garbage, HostileClaims, TwoAuthorizations }

/// <summary>What is done to the body the schema describes.</summary>
internal enum BodyKind
{
    None, Plausible, WrongType, MissingRequired, ExtraProperty, HostileString, HugeString, RawString, DuplicateKey,
    DeepNesting, Broken, NotAnObject, Empty, OverLimit, NullItem, NumberAtLimit,
}

/// <summary>The request's Content-Type: JSON plainly, another media type, or JSON with odd parameters (<see cref="HostileValues"/>).</summary>
internal enum ContentKind
{
    Json, Missing, TextPlain, Xml, Form, UnknownCharset, Utf16Charset, Multipart,
    QuotedCharset, QuotedUnknownCharset, OddCharset, JsonWithParameters, JsonLike, MalformedType,
}

internal enum KeyKind { Fresh, Missing, Empty, Duplicated, Hostile, BeyondAscii }

internal enum HeaderKind
{
    None, HostileCorrelation, ForwardedGarbage, LongHeader, AcceptXml, HostileAcceptLanguage, HostileUserAgent,
    AcceptHtml, AcceptOdd, BeyondAscii, ControlCharacters,
}

/// <summary>One path parameter's value: the real resource's id, or something else (<see cref="Raw"/> is sent as written).</summary>
internal sealed record PathValue(string Name, bool Real, string Raw);

internal sealed record BodyChoice(BodyKind Kind, int Pick, int Variant, string Text);

/// <summary>
/// One generated request, before it becomes HTTP: the operation, and every choice the generator made. Two runs with
/// the same seed make the same choices; only the ids of the resources made for the run differ.
/// </summary>
internal sealed partial record FuzzRequest(
    ApiOperation Operation,
    Caller Caller,
    int CallerPick,
    IReadOnlyList<PathValue> Path,
    IReadOnlyList<(string Name, string Value)> Query,
    BodyChoice Body,
    ContentKind Content,
    KeyKind Key,
    string KeyText,
    HeaderKind Header,
    string HeaderText,
    int HeaderPick)
{
    public bool SendsBody => Body.Kind != BodyKind.None;

    /// <summary>
    /// Whether the request must be refused whatever the code under test does with it: a broken token, an id that is
    /// not the resource's, a missing idempotency key, a header value that is not text, or a body no JSON reader can
    /// bind (wrong type, broken, too deep, too big, not JSON, a charset nobody knows). The database check runs only
    /// such requests, so any change it finds is a defect.
    /// </summary>
    public bool SurelyRejected =>
        Caller is not (Caller.Allowed or Caller.OtherSector)
        || Path.Any(p => !p.Real)
        || (Operation.TakesIdempotencyKey && Key is KeyKind.Missing or KeyKind.Empty)
        || Header == HeaderKind.ControlCharacters
        || Body.Kind == BodyKind.OverLimit
        || (Operation.Body is not null && SendsBody && (
            Body.Kind is BodyKind.WrongType or BodyKind.DeepNesting or BodyKind.Broken
            || (Body.Kind == BodyKind.NotAnObject && Body.Variant % 5 != 4)
            || (Body.Kind == BodyKind.RawString && Body.Variant % HostileValues.RawJsonStrings.Length < HostileValues.UnstorableRawJsonStrings)
            || (Body.Kind == BodyKind.Empty && Operation.Body.Required)
            || Content is ContentKind.Missing or ContentKind.TextPlain or ContentKind.Xml or ContentKind.Form or ContentKind.Multipart
                or ContentKind.UnknownCharset or ContentKind.QuotedUnknownCharset or ContentKind.MalformedType));

    public override string ToString()
    {
        var path = string.Join(",", Path.Where(p => !p.Real).Select(p => $"{p.Name}={Shorten(p.Raw, 40)}"));
        var query = string.Join("&", Query.Select(q => $"{q.Name}={Shorten(q.Value, 30)}"));
        return $"{Operation.Key} caller={Caller}/{CallerPick} path[{path}] query[{query}] body={Body.Kind}/{Body.Variant}/{Shorten(Body.Text, 30)} " +
            $"content={Content}/{HeaderPick} key={(Operation.TakesIdempotencyKey ? Key.ToString() : "-")} header={Header}/{HeaderPick}";
    }

    /// <summary>Marks a query parameter whose value is sent as written, percent-escapes and all, not escaped again.</summary>
    public const char RawQuery = '\u0001';

    public static string Shorten(string text, int length) =>
        Escape().Replace(text.Length <= length ? text : text[..length] + $"…({text.Length})", m => $"\\u{(int)m.Value[0]:x4}");

    [GeneratedRegex(@"[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\ud800-\udfff]")]
    private static partial Regex Escape();
}

/// <summary>The CsCheck generators of <see cref="FuzzRequest"/>s for the operations of the catalogue.</summary>
internal static class FuzzRequests
{
    private static readonly Gen<Caller> Callers = Gen.Frequency(
        (60, Gen.Const(Caller.Allowed)), (6, Gen.Const(Caller.OtherSector)), (5, Gen.Const(Caller.Anonymous)), (4, Gen.Const(Caller.Expired)),
        (4, Gen.Const(Caller.WrongAudience)), (3, Gen.Const(Caller.WrongIssuer)), (4, Gen.Const(Caller.WrongSignature)), (4, Gen.Const(Caller.Garbage)),
        (6, Gen.Const(Caller.HostileClaims)), (2, Gen.Const(Caller.TwoAuthorizations)));

    private static readonly Gen<BodyKind> BodyKinds = Gen.Frequency(
        (10, Gen.Const(BodyKind.Plausible)), (14, Gen.Const(BodyKind.WrongType)), (7, Gen.Const(BodyKind.MissingRequired)),
        (6, Gen.Const(BodyKind.ExtraProperty)), (12, Gen.Const(BodyKind.HostileString)), (5, Gen.Const(BodyKind.HugeString)),
        (6, Gen.Const(BodyKind.RawString)), (5, Gen.Const(BodyKind.DuplicateKey)), (6, Gen.Const(BodyKind.DeepNesting)),
        (8, Gen.Const(BodyKind.Broken)), (6, Gen.Const(BodyKind.NotAnObject)), (3, Gen.Const(BodyKind.Empty)), (1, Gen.Const(BodyKind.OverLimit)),
        (6, Gen.Const(BodyKind.NullItem)), (8, Gen.Const(BodyKind.NumberAtLimit)));

    private static readonly Gen<ContentKind> Contents = Gen.Frequency(
        (40, Gen.Const(ContentKind.Json)), (2, Gen.Const(ContentKind.Missing)), (2, Gen.Const(ContentKind.TextPlain)), (1, Gen.Const(ContentKind.Xml)),
        (1, Gen.Const(ContentKind.Form)), (2, Gen.Const(ContentKind.UnknownCharset)), (1, Gen.Const(ContentKind.Utf16Charset)), (1, Gen.Const(ContentKind.Multipart)),
        (3, Gen.Const(ContentKind.QuotedCharset)), (1, Gen.Const(ContentKind.QuotedUnknownCharset)), (3, Gen.Const(ContentKind.OddCharset)),
        (2, Gen.Const(ContentKind.JsonWithParameters)), (2, Gen.Const(ContentKind.JsonLike)), (1, Gen.Const(ContentKind.MalformedType)));

    private static readonly Gen<KeyKind> Keys = Gen.Frequency(
        (10, Gen.Const(KeyKind.Fresh)), (3, Gen.Const(KeyKind.Missing)), (1, Gen.Const(KeyKind.Empty)), (2, Gen.Const(KeyKind.Duplicated)), (3, Gen.Const(KeyKind.Hostile)),
        (1, Gen.Const(KeyKind.BeyondAscii)));

    private static readonly Gen<HeaderKind> Headers = Gen.Frequency(
        (20, Gen.Const(HeaderKind.None)), (2, Gen.Const(HeaderKind.HostileCorrelation)), (1, Gen.Const(HeaderKind.ForwardedGarbage)),
        (1, Gen.Const(HeaderKind.LongHeader)), (1, Gen.Const(HeaderKind.AcceptXml)), (1, Gen.Const(HeaderKind.HostileAcceptLanguage)),
        (1, Gen.Const(HeaderKind.HostileUserAgent)), (2, Gen.Const(HeaderKind.AcceptHtml)), (2, Gen.Const(HeaderKind.AcceptOdd)),
        (3, Gen.Const(HeaderKind.BeyondAscii)), (2, Gen.Const(HeaderKind.ControlCharacters)));

    private static readonly Gen<BodyChoice> Bodies =
        Gen.Select(BodyKinds, Gen.Int[0, 1 << 20], Gen.Int[0, 1 << 20], HostileValues.Text, (kind, pick, variant, text) => new BodyChoice(kind, pick, variant, text));

    /// <summary>Requests for any operation of <paramref name="operations"/>, each equally likely.</summary>
    public static Gen<FuzzRequest> For(IReadOnlyList<ApiOperation> operations, IReadOnlyDictionary<string, string> ids) =>
        Gen.OneOf(operations.Select(o => For(o, ids)).ToArray());

    public static Gen<FuzzRequest> For(ApiOperation operation, IReadOnlyDictionary<string, string> ids) =>
        Gen.Select(
            Gen.Select(Callers, Gen.Int[0, 1 << 20], (caller, pick) => (caller, pick)),
            PathValues(operation, ids),
            QueryValues(operation, ids),
            operation.Body is null ? Gen.Frequency((30, Gen.Const(new BodyChoice(BodyKind.None, 0, 0, ""))), (1, Bodies)) : Bodies,
            Contents,
            Gen.Select(Keys, HostileValues.IdempotencyKey, (key, text) => (key, text)),
            Gen.Select(Headers, HostileValues.Text, Gen.Int[0, 1 << 20], (header, text, pick) => (header, text, pick)),
            (caller, path, query, body, content, key, header) =>
                new FuzzRequest(operation, caller.caller, caller.pick, path, query, body, content, key.key, key.text, header.header, header.text, header.pick));

    private static Gen<IReadOnlyList<PathValue>> PathValues(ApiOperation operation, IReadOnlyDictionary<string, string> ids)
    {
        var names = operation.PathParameterNames.ToList();
        if (names.Count == 0)
        {
            return Gen.Const<IReadOnlyList<PathValue>>([]);
        }
        var one = names.Select(name => Gen.Frequency(
                (7, Gen.Const(new PathValue(name, true, Uri.EscapeDataString(ids.TryGetValue(name, out var id) ? id : Guid.CreateVersion7().ToString())))),
                (3, HostileValues.PathSegment.Select(raw => new PathValue(name, false, raw)))))
            .ToArray();
        return Gen.Select(one.Select(g => g.Select(v => new[] { v })).Aggregate((a, b) => Gen.Select(a, b, (x, y) => x.Concat(y).ToArray())),
            values => (IReadOnlyList<PathValue>)values);
    }

    private static Gen<IReadOnlyList<(string, string)>> QueryValues(ApiOperation operation, IReadOnlyDictionary<string, string> ids)
    {
        var declared = operation.Parameters.Where(p => p.In == "query").ToList();
        var unknown = Gen.Frequency(
            (8, Gen.Const<(string, string)[]>([])),
            (1, Gen.Select(Gen.OneOf("__proto__", "$where", "q[]", "limit[0]", "x"), HostileValues.QueryValue, (n, v) => new[] { (n, v) })),
            (1, Gen.Select(Gen.OneOf(declared.Select(p => p.Name).DefaultIfEmpty("q").ToArray()), Gen.OneOf(HostileValues.RawQueryValues),
                (n, v) => new[] { (FuzzRequest.RawQuery + n, v) })));
        var each = declared.Select(p => Gen.Frequency(
            (4, Gen.Const<(string, string)[]>([])),
            (3, Gen.Const<(string, string)[]>([(p.Name, Plausible(p, ids))])),
            (4, HostileValues.QueryValue.Select(v => new[] { (p.Name, v) })),
            (1, HostileValues.QueryValue.Select(v => new[] { (p.Name, Plausible(p, ids)), (p.Name, v) })))).ToList();
        var all = each.Aggregate(unknown, (a, b) => Gen.Select(a, b, (x, y) => x.Concat(y).ToArray()));
        return all.Select(values => (IReadOnlyList<(string, string)>)values);
    }

    private static string Plausible(ApiParameter parameter, IReadOnlyDictionary<string, string> ids) =>
        ids.TryGetValue(parameter.Name, out var id) ? id
        : parameter.Schema is { } schema && schema.TryGetProperty("enum", out var values) && values.GetArrayLength() > 0 ? values[0].ToString()
        : SchemaSample.TypeOf(parameter.Schema ?? default) switch
        {
            "integer" or "number" => "10",
            "boolean" => "true",
            _ => parameter.Name switch
            {
                "scope" => "visible",
                "format" => "json",
                "sector" => "oppvekst",
                "status" => "active",
                "state" => "pending",
                "by" => "sector",
                _ => "fuzz",
            },
        };
}
