namespace Samskaping.Contracts.Cases;

/// <summary>What a consent allows the covered sectors to use the data for.</summary>
public static class ConsentPurposes
{
    public const string Coordination = "coordination";
    public const string Grants = "grants";
    public const string OutcomeMeasurement = "outcome-measurement";
    public const string BenefitCoordination = "benefit-coordination";

    public static IReadOnlyList<string> All { get; } = [Coordination, Grants, OutcomeMeasurement, BenefitCoordination];
}

/// <summary>Which kinds of a person's data a consent lets the covered sectors share.</summary>
public static class DataCategories
{
    public const string Contact = "contact";
    public const string Needs = "needs";
    public const string Health = "health";
    public const string School = "school";
    public const string Economy = "economy";
    public const string Family = "family";

    public static IReadOnlyList<string> All { get; } = [Contact, Needs, Health, School, Economy, Family];
}

/// <summary>A person (or a guardian on behalf of a child under 15) consented to sharing within a case.
/// A consent is never edited: a change is a <see cref="ConsentWithdrawn"/> plus a new <see cref="ConsentGiven"/>.</summary>
/// <param name="PersonId">Whose data the consent is about.</param>
/// <param name="GivenByPersonId">Who gave it: the person themselves (15 or older) or their guardian.</param>
/// <param name="Sectors">Sector codes the consent covers.</param>
/// <param name="ValidTo">End of validity (exclusive); null means until withdrawn.</param>
/// <param name="RecordedBy">Subject id of the worker who recorded it.</param>
public sealed record ConsentGiven(
    Guid CaseId,
    Guid ConsentId,
    Guid PersonId,
    Guid GivenByPersonId,
    IReadOnlyList<string> Sectors,
    IReadOnlyList<string> Purposes,
    IReadOnlyList<string> DataCategories,
    DateTimeOffset ValidFrom,
    DateTimeOffset? ValidTo,
    string RecordedBy,
    DateTimeOffset GivenAt) : ICaseMessage;

/// <summary>A consent was withdrawn; from <paramref name="WithdrawnAt"/> it covers nothing.</summary>
public sealed record ConsentWithdrawn(
    Guid CaseId,
    Guid ConsentId,
    Guid PersonId,
    string Reason,
    string WithdrawnBy,
    DateTimeOffset WithdrawnAt) : ICaseMessage;
