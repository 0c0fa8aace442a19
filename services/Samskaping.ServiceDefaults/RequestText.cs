using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Samskaping.ServiceDefaults;

/// <summary>
/// Text that no service can take, refused as the caller's fault before any handler runs (found by the API fuzzer):
/// a NUL character, which PostgreSQL cannot store in <c>text</c> (it failed the write with a 500), a lone UTF-16
/// surrogate (escaped in JSON), which would be stored silently changed, and a request charset .NET cannot decode
/// (the JSON reader threw, a 500 too).
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
                ? throw new JsonException("The text has a NUL character or a lone surrogate.")
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
        if (MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) && type.Charset.HasValue && !IsKnown(type.Charset.Value!))
        {
            await Write(context, new ProblemDetails
            {
                Status = StatusCodes.Status415UnsupportedMediaType,
                Title = "The request body's charset is not supported.",
                Detail = "Send the body as application/json in UTF-8.",
            });
            return;
        }
        await next();
    }

    private static bool IsKnown(string charset)
    {
        try
        {
            _ = Encoding.GetEncoding(charset.Trim('"'));
            return true;
        }
        catch (ArgumentException)
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
