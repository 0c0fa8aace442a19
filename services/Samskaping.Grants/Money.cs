using Samskaping.ServiceDefaults;

namespace Samskaping.Grants;

/// <summary>NOK amounts: <c>decimal</c> with at most two decimals (øre), stored as <c>numeric(14,2)</c>.</summary>
public static class Money
{
    /// <summary>The largest amount <c>numeric(14,2)</c> holds.</summary>
    public const decimal Max = 999_999_999_999.99m;

    /// <summary>A required amount greater than zero with at most two decimals.</summary>
    public static decimal Positive(this ValidationErrors errors, string field, decimal? value) =>
        Check(errors, field, value, allowZero: false);

    /// <summary>A required amount of zero or more with at most two decimals.</summary>
    public static decimal NotNegative(this ValidationErrors errors, string field, decimal? value) =>
        Check(errors, field, value, allowZero: true);

    public static bool HasAtMostTwoDecimals(decimal value) => decimal.Round(value, 2) == value;

    private static decimal Check(ValidationErrors errors, string field, decimal? value, bool allowZero)
    {
        if (value is not { } amount)
        {
            errors.Add(field, "Required: an amount in NOK.");
            return 0;
        }
        if (amount < 0 || (!allowZero && amount == 0))
        {
            errors.Add(field, allowZero ? "Must be zero or more." : "Must be more than zero.");
        }
        else if (!HasAtMostTwoDecimals(amount))
        {
            errors.Add(field, "At most two decimals (øre).");
        }
        else if (amount > Max)
        {
            errors.Add(field, $"At most {Max} NOK.");
        }
        return amount;
    }
}
