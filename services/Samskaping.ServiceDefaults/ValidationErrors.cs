namespace Samskaping.ServiceDefaults;

/// <summary>
/// Collects what is wrong with a request, field by field, in the shape of an RFC 9457 validation problem.
/// Field names are the JSON paths the caller sent (camelCase, dotted). <see cref="Refusal.Invalid"/> answers them:
/// 422, or 400 when a text could not be read at all (<see cref="Unreadable"/>).
/// </summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool IsValid => _errors.Count == 0;

    /// <summary>False when a value could not be read as its type (<see cref="Unreadable"/>): the answer is 400, not 422.</summary>
    public bool IsReadable { get; private set; } = true;

    /// <summary>A text that is not in its format (a date, a number, a cursor): the request could not be read.</summary>
    public void Unreadable(string field, string message)
    {
        IsReadable = false;
        Add(field, message);
    }

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }
        messages.Add(message);
    }

    /// <summary>
    /// Required text of at most <paramref name="maxLength"/> characters as sent (the maxLength the OpenAPI document
    /// declares), not blank. Returns the trimmed value.
    /// </summary>
    public string Text(string field, string? value, int maxLength)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            Add(field, "Required, and must not be empty.");
            return "";
        }
        return CheckLength(field, value!, trimmed, maxLength);
    }

    /// <summary>Optional text: null or blank becomes null; otherwise as <see cref="Text"/>.</summary>
    public string? OptionalText(string field, string? value, int maxLength)
    {
        var trimmed = value?.Trim();
        if (value is not null && string.IsNullOrEmpty(trimmed) && value.Length > maxLength)
        {
            Add(field, $"At most {maxLength} characters.");
        }
        return string.IsNullOrEmpty(trimmed) ? null : CheckLength(field, value!, trimmed, maxLength);
    }

    public T Required<T>(string field, T? value) where T : class
    {
        if (value is null)
        {
            Add(field, "Required.");
        }
        return value!;
    }

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    private string CheckLength(string field, string sent, string trimmed, int maxLength)
    {
        if (sent.Length > maxLength)
        {
            Add(field, $"At most {maxLength} characters.");
        }
        return trimmed;
    }
}
