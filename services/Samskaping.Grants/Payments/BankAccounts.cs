using System.Globalization;
using Samskaping.Grants.Requests;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Payments;

/// <summary>
/// Norwegian account numbers as the bank files carry them: an IBAN (NO, two check digits, the 11-digit account), which
/// every Norwegian bank accepts in pain.001 and sends back in its answers.
/// </summary>
public static class BankAccounts
{
    /// <summary>The IBAN of an 11-digit Norwegian account number (ISO 13616: the check digits make the whole number 1 mod 97).</summary>
    public static string Iban(string account)
    {
        // "NO00" moved to the end, letters as numbers (N = 23, O = 24): account + "232400".
        var remainder = 0;
        foreach (var digit in account + "232400")
        {
            remainder = ((remainder * 10) + (digit - '0')) % 97;
        }
        return string.Create(CultureInfo.InvariantCulture, $"NO{98 - remainder:00}{account}");
    }

    /// <summary>A debtor or payee account as sent: digits only, 11 of them, mod-11 checked; 422 naming the field otherwise.</summary>
    public static string Validate(ValidationErrors errors, string field, string? value)
    {
        var text = errors.Text(field, value, NorwegianNumbers.MaxTextLength);
        var account = NorwegianNumbers.Normalise(text);
        if (text.Length > 0 && !NorwegianNumbers.IsAccountNumber(account))
        {
            errors.Add(field, "A Norwegian account number: 11 digits whose last is the mod-11 check digit (spaces or dots between groups are fine).");
        }
        return account;
    }
}
