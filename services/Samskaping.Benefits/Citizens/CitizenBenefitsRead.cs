using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Samskaping.Access;
using Samskaping.Benefits.Lookup;
using Samskaping.ServiceDefaults;

namespace Samskaping.Benefits.Citizens;

/// <summary>
/// The family's view of its benefits (docs/architecture.md §8), asked by the cases service for a case the citizen
/// reaches: what the benefit system reports for the records the citizen reaches it through (their own, and a child's
/// under 15), never for the other members of the household, whose benefits are theirs. The cases service sends those
/// records' identity numbers in the body, as its internal members endpoint does for a worker's look-up. The amounts are
/// shown in full: they are the person's own (or their child's), not a worker's view that a consent gates.
/// </summary>
public static partial class CitizenBenefitsRead
{
    public static void MapCitizenBenefitsRead(this IEndpointRouteBuilder app)
    {
        app.MapCitizenReads("benefits").MapPost("/benefits", Benefits)
            .WithName("InternalCitizenBenefits")
            .WithSummary("What the benefit system reports for the records a citizen reaches, for the cases service's citizen view")
            .WithDescription("Per record: identified (has an identity number to ask with) and its benefits (type, monthlyAmount, from, to). " +
                "numbers names the identity numbers of the records that have one; each must be one of personIds. 503 with Retry-After when the " +
                "benefit system is down, too slow or resting. Access-logged as the citizen's own read. A service token only; the gateway never routes it.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    public static async Task<Results<Ok<CitizenBenefitsPart>, ProblemHttpResult>> Benefits(
        CitizenReadQuery query, NavBenefitLookup nav, NpgsqlDataSource dataSource, AccessLog accessLog, TimeProvider clock, HttpContext http,
        ILoggerFactory loggers, CancellationToken ct)
    {
        var errors = query.Validate();
        var records = query.PersonIds ?? [];
        var numbers = new Dictionary<Guid, string>();
        foreach (var (given, i) in (query.Numbers ?? []).Select((n, i) => (n, i)))
        {
            if (!records.Contains(given.PersonId))
            {
                errors.Add($"numbers[{i}].personId", "Must be one of personIds.");
            }
            else if (IdentityNumber.Parse(given.IdentityNumber, out var why) is { } number)
            {
                numbers[given.PersonId] = number.Digits;
            }
            else
            {
                errors.Add($"numbers[{i}].identityNumber", why!);
            }
        }
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The benefits could not be read.", errors).ToProblem();
        }
        IReadOnlyDictionary<string, IReadOnlyList<NavBenefit>> found = new Dictionary<string, IReadOnlyList<NavBenefit>>();
        DateTimeOffset? fetchedAt = null;
        if (numbers.Count > 0)
        {
            var (benefits, failure) = await nav.Find([.. numbers.Values.Distinct()], ct);
            if (failure is not null)
            {
                LogNavFailure(loggers.CreateLogger(typeof(CitizenBenefitsRead)), query.CaseId, failure.Reason);
                return Unavailable.Problem(http, "The benefit system is unavailable.", failure.Detail, failure.Reason,
                    failure.Reason == NavFailures.CircuitOpen ? 10 : 5);
            }
            found = benefits!;
            fetchedAt = clock.Now();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await accessLog.WriteMany(query.AsReader(), query.Subjects(), AccessActions.Read, CitizenReadQuery.Purpose, connection, ct);
        return TypedResults.Ok(new CitizenBenefitsPart(fetchedAt, [.. records.Distinct().Select(person => new CitizenRecordBenefitsPart(
            person, numbers.ContainsKey(person),
            numbers.TryGetValue(person, out var digits) && found.TryGetValue(digits, out var list)
                ? [.. list.Select(b => new CitizenBenefitPart(b.Type, b.MonthlyAmount, b.From, b.To))]
                : []))]));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Benefit look-up for a citizen's view of case {CaseId} failed: {Reason}")]
    private static partial void LogNavFailure(ILogger logger, Guid caseId, string reason);
}
