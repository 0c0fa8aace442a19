using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Samskaping.Cases;

/// <summary>
/// An opaque position in a list ordered by (time, id) descending: the last row the caller has seen. Keyset paging,
/// so rows added meanwhile neither repeat nor disappear between pages.
/// </summary>
public sealed record Cursor(DateTimeOffset At, Guid Id)
{
    /// <summary>The longest cursor text accepted (the document's maxLength); a cursor this service hands out is shorter.</summary>
    public const int MaxLength = 100;

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{At.UtcTicks.ToString(CultureInfo.InvariantCulture)}.{Id:N}"));

    /// <summary>Null for anything this service did not hand out.</summary>
    public static Cursor? Decode(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return null;
        }
        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(value)).Split('.');
            return parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks is > 0 and < 3155378975999999999
                && Guid.TryParseExact(parts[1], "N", out var id)
                ? new Cursor(new DateTimeOffset(ticks, TimeSpan.Zero), id)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
