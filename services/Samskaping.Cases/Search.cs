namespace Samskaping.Cases;

/// <summary>
/// Names as they are searched: trimmed and lower-cased culture-invariantly in the service (Æ→æ, Ø→ø, Å→å), so the
/// search does not depend on the database's locale.
/// </summary>
public static class Search
{
    public const int MaxLength = 200;

    public static string Normalize(string value) => value.Trim().ToLowerInvariant();

    /// <summary>Escapes LIKE's wildcards (PostgreSQL's default escape character is the backslash).</summary>
    public static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
