using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.Sectors;

/// <summary>A sector that can take part in cases (oppvekst, helse-velferd, kultur, nav, frivillighet, and what admins add).</summary>
public sealed record Sector(string Code, string Name, string AddedBy, DateTimeOffset AddedAt);

/// <summary>POST /api/coordination/sectors.</summary>
public sealed record AddSector(
    [property: MaxLength(SectorCode.MaxLength), RegularExpression(SectorCode.PatternText)] string? Code,
    [property: MaxLength(SectorCode.MaxNameLength)] string? Name);

public static partial class SectorCode
{
    public const int MaxLength = 40;

    public const int MaxNameLength = 200;

    public const string PatternText = "^[a-z][a-z0-9]*(-[a-z0-9]+)*$";

    /// <summary>Lowercase kebab case, as the token's <c>sector</c> claim carries it: "helse-velferd".</summary>
    public static bool IsValid(string? code) => code is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(code);

    public static (AddSector? Sector, ValidationErrors Errors) Validate(AddSector request)
    {
        var errors = new ValidationErrors();
        var code = request.Code?.Trim();
        if (string.IsNullOrEmpty(code))
        {
            errors.Add("code", "Required, and must not be empty.");
        }
        else if (!IsValid(code) || request.Code!.Length > MaxLength)
        {
            errors.Add("code", $"Lowercase letters and digits in kebab case (like 'helse-velferd'), at most {MaxLength} characters.");
        }
        var name = errors.Text("name", request.Name, MaxNameLength);
        return errors.IsValid ? (new AddSector(code, name), errors) : (null, errors);
    }

    [GeneratedRegex(PatternText)]
    private static partial Regex Pattern();
}
