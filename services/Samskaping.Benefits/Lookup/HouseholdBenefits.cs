namespace Samskaping.Benefits.Lookup;

/// <summary>A household's current benefits, per member, as the benefit system reported them at <see cref="FetchedAt"/>.</summary>
/// <param name="FetchedAt">When the benefit system was asked; null when it was not, because no member has an identity number
/// it can be asked about (or the household has no members): the empty lists then say nothing about benefits.</param>
/// <param name="CachedUntil">Asking again before this answers from memory; afterwards the benefit system is asked again.
/// Null when nothing was fetched, so nothing is kept.</param>
/// <param name="Withheld">The data categories left out of this answer because no consent covering the caller's sector for
/// benefit-coordination names them: with <c>economy</c> here, every <see cref="CurrentBenefit.MonthlyAmount"/> is null.</param>
public sealed record HouseholdBenefits(Guid HouseholdId, DateTimeOffset? FetchedAt, DateTimeOffset? CachedUntil, string Source, IReadOnlyList<MemberBenefits> Members,
    IReadOnlyList<string> Withheld);

/// <summary>One member. <see cref="Identified"/> is false for a member without an identity number: the benefit
/// system cannot be asked about them, so their list is empty for that reason. The identity number is never answered.</summary>
public sealed record MemberBenefits(Guid PersonId, string Role, bool Identified, IReadOnlyList<CurrentBenefit> Benefits);

/// <summary>A benefit: its type as the benefit system names it, NOK per month, and its period (to: null = open-ended).</summary>
public sealed record CurrentBenefit(string Type, decimal? MonthlyAmount, DateOnly? From, DateOnly? To);
