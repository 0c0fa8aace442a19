using System.Globalization;
using System.Text;

namespace Samskaping.Bench.Load;

/// <summary>
/// Where an HTTP/1.1 response ends in the bytes read so far: after its header and a body of <c>Content-Length</c>
/// bytes, or after the last chunk of a chunked body (Kestrel streams JSON results chunked). Enough for a keep-alive
/// load driver that sends one request at a time per connection; not a general HTTP parser.
/// </summary>
public static class HttpResponseFraming
{
    private static ReadOnlySpan<byte> HeaderEnd => "\r\n\r\n"u8;

    private static ReadOnlySpan<byte> LineEnd => "\r\n"u8;

    /// <summary>
    /// The length of the complete response at the start of <paramref name="received"/> and its status code, or
    /// null while more bytes are needed. Throws <see cref="FormatException"/> for bytes that are not a response.
    /// </summary>
    public static (int Length, int Status)? Complete(ReadOnlySpan<byte> received)
    {
        var headerEnd = received.IndexOf(HeaderEnd);
        if (headerEnd < 0)
        {
            return null;
        }
        var header = Encoding.ASCII.GetString(received[..headerEnd]);
        var lines = header.Split("\r\n");
        var statusLine = lines[0].Split(' ', 3);
        if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new FormatException($"not an HTTP/1.x status line: '{lines[0]}'");
        }

        long? contentLength = null;
        var chunked = false;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = value.EndsWith("chunked", StringComparison.OrdinalIgnoreCase);
            }
        }

        var bodyStart = headerEnd + HeaderEnd.Length;
        if (chunked)
        {
            var end = ChunkedBodyEnd(received[bodyStart..]);
            return end is null ? null : (bodyStart + end.Value, status);
        }
        // No body without a length (a 204 or 304, or a HEAD answer): a keep-alive response must frame its body.
        var length = bodyStart + (contentLength ?? 0);
        return received.Length >= length ? ((int)length, status) : null;
    }

    /// <summary>The length of a complete chunked body (through the last chunk and the empty trailer), or null.</summary>
    private static int? ChunkedBodyEnd(ReadOnlySpan<byte> body)
    {
        var at = 0;
        while (true)
        {
            var sizeEnd = body[at..].IndexOf(LineEnd);
            if (sizeEnd < 0)
            {
                return null;
            }
            var sizeText = Encoding.ASCII.GetString(body.Slice(at, sizeEnd));
            var extension = sizeText.IndexOf(';', StringComparison.Ordinal);
            if (!int.TryParse(extension < 0 ? sizeText : sizeText[..extension], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                throw new FormatException($"not a chunk size: '{sizeText}'");
            }
            at += sizeEnd + LineEnd.Length;
            if (size == 0)
            {
                // Trailer fields (none expected) end with an empty line.
                var trailerEnd = body[at..].IndexOf(LineEnd);
                while (trailerEnd > 0)
                {
                    at += trailerEnd + LineEnd.Length;
                    trailerEnd = body[at..].IndexOf(LineEnd);
                }
                return trailerEnd < 0 ? null : at + LineEnd.Length;
            }
            if (body.Length < at + size + LineEnd.Length)
            {
                return null;
            }
            at += size + LineEnd.Length;
        }
    }
}
