using System.Globalization;

namespace Samskaping.Outcomes.Reports;

/// <summary>
/// What someone who knows a family could know about one of its members, as the research export shows it: the
/// quasi-identifiers. Each is a value of its generalisation hierarchy (see <see cref="ExportAnonymity"/>).
/// </summary>
public sealed record QuasiIdentifiers(string AgeBand, string Role, string FamilyType, string LeadSector, string GrantBand, string StartPeriod);

/// <summary>One person in the export, described once, by their first response in it.</summary>
/// <param name="Age">Age in whole years at the first response; null when outcomes does not know the birth date.</param>
public sealed record ExportPerson(Guid PersonId, int? Age, string Role, string FamilyType, string LeadSector, string GrantBand, DateTimeOffset StartedAt);

/// <summary>The export's people after the rule: the quasi-identifiers each published person is shown with, and how
/// many people could not be published at all.</summary>
/// <param name="Rung">The step of <see cref="ExportAnonymity.Ladder"/> used; -1 when nobody could be published.</param>
public sealed record AnonymisedPeople(IReadOnlyDictionary<Guid, QuasiIdentifiers> Published, int Rung, int SuppressedPeople);

/// <summary>
/// k-anonymity for the research export. A pseudonym links all of a person's rows, so the unit is the person, not the
/// row: every person is shown with one set of quasi-identifiers (taken at their first response), and every
/// combination of quasi-identifier values in an export stands for at least k people (k = Outcomes:MinimumCellSize,
/// the group reports' minimum cell).
/// Hierarchies: age band (0-5, 6-12, 13-15, 16-17, 18-25, 26-44, 45-66, 67+) → wide band (0-17, 18-66, 67+) → any;
/// start period (quarter) → year → any; role, family type, lead sector and grant band → any.
/// The whole export is generalised together, one rung of <see cref="Ladder"/> at a time, until every combination has
/// k people; no single row or person is left out to get there. Left out, a few people could be recovered by
/// subtracting the export from a group the change report publishes. Only when even the top rung (everything "any")
/// has fewer than k people is everyone suppressed: the export is then empty and says how many it left out.
/// A fixed ladder (each rung coarser than the one before) also keeps two exports of different days comparable:
/// joined by pseudonym they show nothing finer than the finer of the two, which was k-anonymous when it was made.
/// </summary>
public static class ExportAnonymity
{
    public const string Any = "any";
    public const string Unknown = "unknown";

    /// <summary>How far each quasi-identifier is generalised: 0 = as it is; the two- and three-step hierarchies go on to "any".</summary>
    public sealed record Generalisation(int Age, int Role, int FamilyType, int LeadSector, int GrantBand, int StartPeriod);

    /// <summary>From the finest to everything "any": first the start quarter to its year and the age band to a wide
    /// one, then grant band, family type, role and lead sector in turn, finally start year and age.</summary>
    public static IReadOnlyList<Generalisation> Ladder { get; } =
    [
        new(0, 0, 0, 0, 0, 0),
        new(0, 0, 0, 0, 0, 1),
        new(1, 0, 0, 0, 0, 1),
        new(1, 0, 0, 0, 1, 1),
        new(1, 0, 1, 0, 1, 1),
        new(1, 1, 1, 0, 1, 1),
        new(1, 1, 1, 1, 1, 1),
        new(1, 1, 1, 1, 1, 2),
        new(2, 1, 1, 1, 1, 2),
    ];

    public static AnonymisedPeople Apply(IReadOnlyList<ExportPerson> people, int k)
    {
        for (var rung = 0; rung < Ladder.Count; rung++)
        {
            var shown = people.ToDictionary(p => p.PersonId, p => Generalise(p, Ladder[rung]));
            if (shown.Values.CountBy(q => q).All(c => c.Value >= k))
            {
                return new AnonymisedPeople(shown, rung, 0);
            }
        }
        return new AnonymisedPeople(new Dictionary<Guid, QuasiIdentifiers>(), -1, people.Count);
    }

    public static QuasiIdentifiers Generalise(ExportPerson person, Generalisation level) => new(
        level.Age switch
        {
            0 => person.Age is { } age ? Dimensions.AgeBandOf(age) : Unknown,
            1 => person.Age switch { null => Unknown, < 18 => "0-17", < 67 => "18-66", _ => "67+" },
            _ => Any,
        },
        level.Role == 0 ? person.Role : Any,
        level.FamilyType == 0 ? person.FamilyType : Any,
        level.LeadSector == 0 ? person.LeadSector : Any,
        level.GrantBand == 0 ? person.GrantBand : Any,
        level.StartPeriod switch
        {
            0 => Dimensions.PeriodOf(person.StartedAt),
            1 => person.StartedAt.UtcDateTime.Year.ToString(CultureInfo.InvariantCulture),
            _ => Any,
        });
}
