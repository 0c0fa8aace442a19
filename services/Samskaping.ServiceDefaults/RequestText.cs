using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Samskaping.ServiceDefaults;

/// <summary>
/// Text that no service can take, refused as the caller's fault before any handler runs (found by the API fuzzer):
/// a NUL character, which PostgreSQL cannot store in <c>text</c> (it failed the write with a 500), a lone UTF-16
/// surrogate (escaped in JSON), which would be stored silently changed, and a request charset .NET cannot decode
/// (the JSON reader threw, a 500 too; a known one in quotes is passed on unquoted).
/// </summary>
internal static class RequestText
{
    /// <summary>A JSON string with NUL or a lone surrogate in it fails to bind: the usual 400 naming the field.</summary>
    internal sealed class NoNulStrings : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = reader.GetString();
            return value is not null && !IsStorable(value)
                ? throw new RefusedJsonValue("A NUL character or a lone surrogate is not allowed in text.")
                : value;
        }

        private static bool IsStorable(string value)
        {
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (c == '\0' || char.IsLowSurrogate(c) || (char.IsHighSurrogate(c) && (i + 1 == value.Length || !char.IsLowSurrogate(value[++i]))))
                {
                    return false;
                }
            }
            return true;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    /// <summary>
    /// A list of text (sectors, purposes, data categories) with a null in it fails to bind: the usual 400 naming the
    /// list. The binder takes <c>[null]</c> into a list of non-nullable strings, and code that trusted the type failed
    /// on it with a 500. A contract modifier, not a converter: with a converter the OpenAPI documents would describe
    /// every list of text as "anything".
    /// </summary>
    public static void RefuseNullItems(JsonTypeInfo type)
    {
        if (type.Kind == JsonTypeInfoKind.Enumerable && type.ElementType == typeof(string))
        {
            type.OnDeserialized = list =>
            {
                var index = 0;
                foreach (var item in (IEnumerable<string?>)list)
                {
                    _ = item ?? throw new RefusedJsonValue($"Item {index} is null; every item must be text.", ofList: true);
                    index++;
                }
            };
        }
    }

    /// <summary>Middleware step: a query value with NUL is 400 naming the parameter; an unknown body charset is 415.</summary>
    public static async Task Refuse(HttpContext context, Func<Task> next)
    {
        var badParameter = context.Request.Query.FirstOrDefault(q => q.Key.Contains('\0', StringComparison.Ordinal) || q.Value.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true)).Key;
        if (badParameter is not null)
        {
            await Write(context, new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [badParameter.Replace("\0", "", StringComparison.Ordinal)] = ["A NUL character is not allowed in text."],
            })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request could not be read.",
            });
            return;
        }
        if (MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) && type.Charset.HasValue)
        {
            var charset = HeaderUtilities.RemoveQuotes(type.Charset).Value!;
            if (!IsKnown(charset))
            {
                await Write(context, new ProblemDetails
                {
                    Status = StatusCodes.Status415UnsupportedMediaType,
                    Title = "The request body's charset is not supported.",
                    Detail = "Send the body as application/json in UTF-8.",
                });
                return;
            }
            // A quoted value is the same charset (RFC 9110 §5.6.6), but the JSON reader looks the name up quotes and
            // all and threw (a 500): it is handed on unquoted.
            if (charset.Length != type.Charset.Length)
            {
                type.Charset = charset;
                context.Request.ContentType = type.ToString();
            }
        }
        await next();
    }

    private static bool IsKnown(string charset)
    {
        try
        {
            _ = Encoding.GetEncoding(charset);
            return true;
        }
        // .NET knows UTF-7 only to refuse it (NotSupportedException): that is unknown too.
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    private static async Task Write(HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status!.Value;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}

/// <summary>A value the JSON reader could read but no service takes; <see cref="Reason"/> is what the caller is told.</summary>
/// <param name="ofList">Refused when the whole list had been read: its path ends at the list's end, and the field is the list.</param>
internal sealed class RefusedJsonValue(string reason, bool ofList = false) : JsonException(reason)
{
    public string Reason { get; } = reason;

    public bool OfList { get; } = ofList;
}
