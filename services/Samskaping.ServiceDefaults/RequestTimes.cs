using System.Text.Json;
using System.Text.Json.Serialization;

namespace Samskaping.ServiceDefaults;

/// <summary>What a point in time in a request body must be.</summary>
internal static class RequestTimes
{
    /// <summary>
    /// A point in time in a request body must say its offset (<c>Z</c> or <c>+01:00</c>): the binder read
    /// <c>2026-11-01T10:00:00</c> in the server's own time zone, so the same body meant another moment on another
    /// server, and a field documented as "with offset" took a value without one. Without an offset it fails to bind: the
    /// usual 400 naming the field. Answers are written as before.
    /// </summary>
    internal sealed class OffsetRequired : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            // The reader's own ISO 8601 parsing first (a wrong format fails as before), then the offset it may have left out.
            var value = reader.GetDateTimeOffset();
            var text = reader.GetString()!;
            var time = text.IndexOf('T', StringComparison.OrdinalIgnoreCase);
            return time >= 0 && (text.EndsWith('Z') || text.EndsWith('z') || text.AsSpan(time).IndexOfAny('+', '-') >= 0)
                ? value
                : throw new RefusedJsonValue("A date and time with its offset is required, in ISO 8601: 2026-11-01T10:00:00Z or 2026-11-01T11:00:00+01:00.");
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
