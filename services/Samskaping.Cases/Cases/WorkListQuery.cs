using Samskaping.Contracts.Cases;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Cases;

/// <summary>The work list's query string, validated.</summary>
public sealed record WorkListQuery(string Scope, string? Status, string? Search, int Limit, Cursor? After)
{
    public const string Visible = "visible";
    public const string Mine = "mine";
    public const string Sector = "sector";
    public const int DefaultLimit = 25;
    public const int MaxLimit = 100;

    /// <summary>The longest limit text accepted ("100"): the document's maxLength.</summary>
    public const int MaxLimitDigits = 3;

    public const string LimitDescription = "Page size, a whole number from 1 to 100 (default 25).";

    public const string CursorDescription = "nextCursor from the previous page; absent for the first page.";

    public static WorkListQuery? Parse(string? scope, string? status, string? q, string? limit, string? cursor, ValidationErrors errors)
    {
        scope ??= Visible;
        if (scope is not (Visible or Mine or Sector))
        {
            errors.Add("scope", $"Must be one of: {Visible}, {Mine}, {Sector}.");
        }
        if (status is not null && !CaseStatuses.All.Contains(status))
        {
            errors.Add("status", $"Must be one of: {string.Join(", ", CaseStatuses.All)}.");
        }
        var search = errors.OptionalText("q", q, Samskaping.Cases.Search.MaxLength);
        var take = ParseLimit(limit, errors);
        var after = ParseCursor(cursor, errors);
        return errors.IsValid ? new WorkListQuery(scope, status, search, take, after) : null;
    }

    /// <summary>
    /// A page size from 1 to <paramref name="maxLimit"/>: a text that is not a whole number in digits could not be
    /// read (400); one that is, but too long or out of range, is not acceptable (422).
    /// </summary>
    public static int ParseLimit(string? limit, ValidationErrors errors, int defaultLimit = DefaultLimit, int maxLimit = MaxLimit)
    {
        if (limit is null)
        {
            return defaultLimit;
        }
        if (limit.Length == 0 || !limit.All(char.IsAsciiDigit))
        {
            errors.Unreadable("limit", $"Must be a whole number from 1 to {maxLimit}.");
            return defaultLimit;
        }
        if (limit.Length > MaxLimitDigits
            || !int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var take)
            || take < 1 || take > maxLimit)
        {
            errors.Add("limit", $"Must be a whole number from 1 to {maxLimit}.");
            return defaultLimit;
        }
        return take;
    }

    public static Cursor? ParseCursor(string? cursor, ValidationErrors errors)
    {
        if (cursor is null)
        {
            return null;
        }
        var after = Cursor.Decode(cursor);
        if (after is null)
        {
            errors.Unreadable("cursor", "Not a cursor this list handed out; use nextCursor from the previous page.");
        }
        return after;
    }
}
