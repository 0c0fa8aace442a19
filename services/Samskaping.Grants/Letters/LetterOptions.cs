using System.ComponentModel.DataAnnotations;

namespace Samskaping.Grants.Letters;

/// <summary>The configuration of decision letters (<c>Grants:Letters</c>).</summary>
public sealed class LetterOptions
{
    public const string Section = "Grants:Letters";

    /// <summary>The municipality as the letter's sender.</summary>
    [Required, MinLength(1), MaxLength(200)]
    public string Municipality { get; set; } = "Kommunen";

    /// <summary>Where an appeal is sent: the body that made the decision (forvaltningsloven § 32 first paragraph a).</summary>
    [Required, MinLength(1), MaxLength(300)]
    public string AppealTo { get; set; } = "kommunen, til den enheten som fattet vedtaket";

    /// <summary>
    /// Days from issue to the day the family is taken to have received the letter (the appeal deadline counts from
    /// receipt, fvl § 29). 0: the letter is in the family's digital view and NAV's innsyn the day it is issued. A
    /// municipality that posts its letters sets the days its routine allows for the post.
    /// </summary>
    [Range(0, 14)]
    public int ReceiptDays { get; set; }
}
