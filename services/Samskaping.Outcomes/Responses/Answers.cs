using System.ComponentModel.DataAnnotations;
using Samskaping.Outcomes.Instruments;

namespace Samskaping.Outcomes.Responses;

/// <summary>Who answered: the person, a guardian on behalf of a child, or a worker together with the person.</summary>
public static class RespondentKinds
{
    public const string Self = "self";
    public const string Guardian = "guardian";
    public const string WorkerWithPerson = "worker-with-person";

    public static IReadOnlyList<string> All { get; } = [Self, Guardian, WorkerWithPerson];
}

/// <summary>One answer as sent. A value is a JSON number ("5" is refused with a 400, as every service reads numbers).</summary>
public sealed record AnswerInput(
    [property: MaxLength(CheckedAnswers.MaxItemIdLength)] string? ItemId,
    [property: Range(CheckedAnswers.MinAnyValue, CheckedAnswers.MaxAnyValue)] int? Value,
    [property: MaxLength(CheckedAnswers.MaxTextLength)] string? Text);

/// <summary>The answers of one response, checked against the instrument version's items.</summary>
public sealed record CheckedAnswers(
    IReadOnlyDictionary<string, int> Values,
    IReadOnlyDictionary<string, string> Texts,
    bool Partial,
    IDictionary<string, string[]> Errors)
{
    public const int MaxTextLength = 2000;

    /// <summary>At most this many answers in one response (the document's maxItems); an instrument has far fewer items.</summary>
    public const int MaxAnswers = 200;

    /// <summary>An item id is never longer than this (the document's maxLength); a longer one is no item.</summary>
    public const int MaxItemIdLength = 100;

    /// <summary>Every scored item's scale lies within these bounds (the document's minimum and maximum); each item has its own, narrower range.</summary>
    public const int MinAnyValue = 0;

    public const int MaxAnyValue = 100;

    public bool IsValid => Errors.Count == 0;

    /// <summary>
    /// Each answer must name an item of the instrument once, with a whole number in the item's range (scored items)
    /// or text (free-text items). Errors are keyed <c>answers.{itemId}</c>, so the caller sees which item was wrong.
    /// A response that leaves scored items unanswered is allowed and marked partial.
    /// </summary>
    public static CheckedAnswers Check(Instrument instrument, IReadOnlyList<AnswerInput>? answers)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string key, string message)
        {
            if (!errors.TryGetValue(key, out var list))
            {
                errors[key] = list = [];
            }
            list.Add(message);
        }

        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (answers is null || answers.Count == 0)
        {
            Add("answers", "At least one answer is required.");
        }
        else if (answers.Count > MaxAnswers)
        {
            Add("answers", $"At most {MaxAnswers} answers.");
            return new CheckedAnswers(values, texts, Partial: true, errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }
        for (var i = 0; i < (answers?.Count ?? 0); i++)
        {
            var answer = answers![i];
            if (answer is null || string.IsNullOrWhiteSpace(answer.ItemId))
            {
                Add($"answers[{i}].itemId", "Required: the id of an item of the instrument.");
                continue;
            }
            var item = instrument.Find(answer.ItemId);
            if (item is null)
            {
                Add($"answers[{i}].itemId", $"'{answer.ItemId}' is not an item of {instrument.Name}.");
                continue;
            }
            var key = $"answers.{item.ItemId}";
            if (values.ContainsKey(item.ItemId) || texts.ContainsKey(item.ItemId))
            {
                Add(key, $"Item '{item.ItemId}' is answered more than once.");
                continue;
            }
            if (item.IsScored)
            {
                if (answer.Text is not null)
                {
                    Add(key, $"Item '{item.ItemId}' takes a number, not text.");
                }
                else if (answer.Value is not { } value)
                {
                    Add(key, $"Item '{item.ItemId}' needs a value; leave the item out to skip it.");
                }
                else if (value < MinAnyValue || value > MaxAnyValue || value < item.MinValue || value > item.MaxValue)
                {
                    Add(key, $"Item '{item.ItemId}' takes whole numbers from {item.MinValue} to {item.MaxValue}; {value} is out of range.");
                }
                else
                {
                    values[item.ItemId] = value;
                }
            }
            else
            {
                var text = answer.Text?.Trim();
                if (answer.Value is not null)
                {
                    Add(key, $"Item '{item.ItemId}' takes free text, not a number.");
                }
                else if (string.IsNullOrEmpty(text))
                {
                    Add(key, $"Item '{item.ItemId}' needs text; leave the item out to skip it.");
                }
                else if (answer.Text!.Length > MaxTextLength)
                {
                    Add(key, $"Item '{item.ItemId}' takes at most {MaxTextLength} characters.");
                }
                else
                {
                    texts[item.ItemId] = text;
                }
            }
        }

        var partial = instrument.Items.Any(i => i.IsScored && !values.ContainsKey(i.ItemId));
        return new CheckedAnswers(values, texts, partial, errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }
}
