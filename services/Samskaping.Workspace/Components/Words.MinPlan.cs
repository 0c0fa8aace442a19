namespace Samskaping.Workspace.Components;

/// <summary>The words of the family's plan on Min side: decisions, payments and benefits as a family reads them.</summary>
public static partial class Words
{
    /// <summary>A decision letter's outcome, as the letter itself states it.</summary>
    public static string LetterOutcome(string outcome) => outcome switch
    {
        "innvilget" => "Innvilget",
        "delvis-innvilget" => "Delvis innvilget",
        "avslatt" => "Avslått",
        "avvist" => "Avvist",
        _ => outcome,
    };

    /// <summary>A grant as the family sees it, before and after the decision.</summary>
    public static string CitizenGrantStatus(string status) => status switch
    {
        "requested" => "Venter på vedtak",
        _ => GrantStatus(status),
    };

    /// <summary>A payment as the family sees it: the bank's status in plain words.</summary>
    public static string CitizenPaymentStatus(string status) => status switch
    {
        "planned" => "Planlagt",
        "sent" => "Sendt til banken",
        "paid" => "Utbetalt",
        "failed" => "Banken kunne ikke betale ut",
        "stopped" => "Stanset",
        "cancelled" => "Avlyst",
        _ => status,
    };

    /// <summary>Whose benefits: «Per (deg)», «Cecilie (barnet ditt)».</summary>
    public static string RecordName(string firstName, string relation) => $"{firstName} ({(relation == "self" ? "deg" : "barnet ditt")})";

    public static string BenefitPeriod(DateOnly? from, DateOnly? to) => (from, to) switch
    {
        ({ } f, { } t) => $"fra {Date(f)} til {Date(t)}",
        ({ } f, null) => $"fra {Date(f)}, uten sluttdato",
        (null, { } t) => $"til {Date(t)}",
        _ => "uten oppgitt periode",
    };

    public static string MeasurePeriod(DateOnly starts, DateOnly? ends) =>
        ends is { } e ? $"{Date(starts)} til {Date(e)}" : $"fra {Date(starts)}";
}
