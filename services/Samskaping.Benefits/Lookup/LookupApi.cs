using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Samskaping.Access;
using Samskaping.Benefits.Cases;
using Samskaping.Benefits.Nav;
using Samskaping.Benefits.People;
using Samskaping.Contracts.Cases;
using Samskaping.ServiceDefaults;

namespace Samskaping.Benefits.Lookup;

/// <summary>What the look-up works with, bound as one parameter of its handler.</summary>
public sealed record LookupServices(
    HouseholdAccess Households, CaseAccess Access, CasesDirectory Cases, NavBenefitLookup Nav, IMemoryCache Cache, IOptions<NavOptions> Options,
    AccessLog AccessLog, TimeProvider Clock, ILoggerFactory Loggers);

public static partial class LookupApi
{
    private const string Purpose = "benefit look-up";

    /// <summary>The data categories the look-up's answer holds beyond the members' roles: the benefits' amounts.</summary>
    private static readonly string[] Gated = [DataCategories.Economy];

    public static IHostApplicationBuilder AddBenefitLookup(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<HouseholdAccess>();
        builder.Services.AddSingleton<NavBenefitLookup>();
        NavBenefitLookup.AddResilience(builder.Services);
        return builder;
    }

    /// <summary>Where a household's answer is kept between look-ups (forgotten when a member's identity number is corrected).</summary>
    public static object CacheKey(Guid householdId) => (nameof(HouseholdBenefits), householdId);

    public static void MapLookupEndpoints(this IEndpointRouteBuilder app)
    {
        var households = app.MapApiGroup("/api/benefits/households", "Benefit look-up", Policies.SectorStaff);

        households.MapGet("/{householdId:guid}/benefits", GetBenefits)
            .WithName("GetHouseholdBenefits")
            .WithSummary("The household's current benefits per member, from the benefit system")
            .WithDescription("For workers who may see at least one of the household's cases; otherwise 404. Per member: personId, role, "
                + "identified (has an identity number the benefit system can be asked about) and benefits (type, monthlyAmount in NOK, from, to). "
                + "withheld names the data categories left out because no consent covering the caller's sector for benefit-coordination names them: "
                + "with economy there, every monthlyAmount is null. "
                + "Identity numbers are never answered. Kept for Benefits:Nav:LookupCacheSeconds: fetchedAt says when the benefit system was asked; "
                + "it is null (and nothing is kept) when the benefit system was not asked, because no member has an identity number to ask with "
                + "or the household has no members: empty lists then mean unknown, not none. "
                + "503 with Retry-After when the benefit system (or the cases service) is down, too slow, or resting after repeated failures. "
                + "Each member answered is access-logged.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    public static async Task<Results<Ok<HouseholdBenefits>, ProblemHttpResult>> GetBenefits(
        Guid householdId, CurrentUser user, [AsParameters] LookupServices services, HttpContext http, CancellationToken ct)
    {
        var (households, access, cases, nav, cache, options, accessLog, clock, loggers) = services;
        // Not RequireCaseAccess: the route names a household, seen through whichever of its cases the caller may see. Short
        // connections of its own, not the request's DbSession, which would stay held while cases and the benefit system answer.
        var notFound = Refusal.NotFound("Household not found.", $"There is no household {householdId} with a case that your sector takes part in.");
        if (await households.VisibleCase(householdId, user, ct) is not { } caseId)
        {
            return notFound.ToProblem();
        }
        var key = CacheKey(householdId);
        if (!cache.TryGetValue(key, out HouseholdBenefits? answer) || answer is null)
        {
            IReadOnlyList<HouseholdMember>? members;
            try
            {
                members = await cases.Members(householdId, Purpose, OnBehalfOf.For(user, caseId), ct);
            }
            catch (CasesUnavailableException)
            {
                return Unavailable.Problem(http, "The household's members are unavailable.",
                    "The cases service, which knows the household's members, could not be reached. Try again shortly.", "cases-unavailable", 10);
            }
            if (members is null)
            {
                return notFound.ToProblem();
            }
            var numbers = members.Where(m => m.IdentityNumber is not null).Select(m => m.IdentityNumber!).Distinct().ToList();
            if (numbers.Count == 0)
            {
                // Nobody to ask about: say so, rather than answer empty lists as if the benefit system had found none.
                answer = new HouseholdBenefits(householdId, null, null, members.Count == 0
                        ? "not asked: the household has no members"
                        : "not asked: no member has an identity number the benefit system can be asked about",
                    [.. members.Select(m => new MemberBenefits(m.PersonId, m.Role, false, []))], []);
            }
            else
            {
                var (found, failure) = await nav.Find(numbers, ct);
                if (failure is not null)
                {
                    LogNavFailure(loggers.CreateLogger(typeof(LookupApi)), householdId, failure.Reason);
                    return Unavailable.Problem(http, "The benefit system is unavailable.", failure.Detail, failure.Reason,
                        failure.Reason == NavFailures.CircuitOpen ? 10 : 5);
                }
                var fetchedAt = clock.Now();
                var keep = TimeSpan.FromSeconds(options.Value.LookupCacheSeconds);
                answer = new HouseholdBenefits(householdId, fetchedAt, fetchedAt + keep, "benefit system (NAV-style look-up)",
                    [.. members.Select(m => new MemberBenefits(m.PersonId, m.Role, m.IdentityNumber is not null,
                        m.IdentityNumber is { } number && found!.TryGetValue(number, out var list)
                            ? [.. list.Select(b => new CurrentBenefit(b.Type, b.MonthlyAmount, b.From, b.To))]
                            : []))], []);
                if (keep > TimeSpan.Zero)
                {
                    cache.Set(key, answer, keep);
                }
            }
        }
        answer = Consented(answer, await access.Withheld(caseId, user, Gated, ct));
        await accessLog.WriteMany(user, answer.Members.Select(m => new AccessSubject(caseId, m.PersonId)), AccessActions.Read, Purpose, ct);
        return TypedResults.Ok(answer);
    }

    /// <summary>The answer with what <paramref name="withheld"/> names left out: the amounts are <c>economy</c>
    /// (docs/privacy.md, "Consent: which purpose and which kinds of data gate what"). The kept answer stays whole,
    /// since the next caller's consents may name what this one's do not.</summary>
    private static HouseholdBenefits Consented(HouseholdBenefits answer, IReadOnlyList<string> withheld) =>
        !withheld.Contains(DataCategories.Economy) ? answer : answer with
        {
            Members = [.. answer.Members.Select(m => m with { Benefits = [.. m.Benefits.Select(b => b with { MonthlyAmount = null })] })],
            Withheld = withheld,
        };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Benefit look-up for household {HouseholdId} failed: {Reason}")]
    private static partial void LogNavFailure(ILogger logger, Guid householdId, string reason);
}
