using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants;

/// <summary>
/// NOK amounts: <c>decimal</c> with at most two decimals (øre), stored as <c>numeric(14,2)</c>. The limits sit well
/// inside what that column holds (under 10^12), so a balance at its limit plus the largest amount is still a number
/// the database can compare: past a limit it answers with a CHECK (a 422 naming the field), never with an overflow.
/// Migration 0004 declares the same numbers as CHECK constraints.
/// </summary>
public static class Money
{
    /// <summary>The most one amount may be: a fund's budget, threshold or cap, a top-up, a reallocation, a grant, an instalment.</summary>
    public const decimal MaxAmount = 1_000_000_000.00m;

    /// <summary>
    /// The most one fund may hold (available, reserved and paid together), and the most it may take from the
    /// municipality's budget over its life: a hundred of the largest amounts.
    /// </summary>
    public const decimal MaxBalance = 100_000_000_000.00m;

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
        else if (amount > MaxAmount)
        {
            errors.Add(field, string.Create(CultureInfo.InvariantCulture, $"At most {MaxAmount:F2} NOK."));
        }
        return amount;
    }
}

/// <summary>
/// An amount's range in the OpenAPI documents: 0 to <see cref="Money.MaxAmount"/> NOK (above 0 with
/// <c>MinimumIsExclusive</c>). It only documents: <see cref="Money.Positive"/> and <see cref="Money.NotNegative"/> check it.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AmountAttribute() : RangeAttribute(0d, (double)Money.MaxAmount);
