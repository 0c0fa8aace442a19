namespace Samskaping.Bench.Growth;

/// <summary>One response a probe case's adult gives: which adult (0 the guardian, 1 the other parent), which point of the schedule (0 the baseline, otherwise the follow-up's month) and the answers.</summary>
public sealed record PlannedResponse(int Adult, int Point, IReadOnlyDictionary<string, int> Answers);

/// <summary>
/// What each probe case holds in outcomes and in the grants ledger, so the clones hold per case what the growth goal's
/// data holds: about five outcome responses and five ledger entries per case, as its 5 million of each over 1 million
/// cases. Both adults answer the baseline;
/// the guardian answers both follow-ups and the other parent the first, so each has a change from baseline for the
/// change report to count, and the case has five responses. Life satisfaction starts and moves differently from
/// probe to probe and adult to adult: the report's standard deviation, interval and effect size then have a spread to
/// work on. Negative effects stay below the alert level, so no answer sends an alert to a coordinator.
/// </summary>
public static class ProbeAnswers
{
    /// <summary>The follow-ups the bench system schedules (Schedules:FollowUpMonths), both open for answers at once.</summary>
    public static IReadOnlyList<int> FollowUpMonths { get; } = [1, 2];

    /// <summary>The adults who answer: the guardian and the other parent, each with an identity number and a consent.</summary>
    public const int Adults = 2;

    /// <summary>Two grants approved (a reservation each) and one of them paid: three postings of two legs.</summary>
    public const int LedgerEntriesPerCase = 3 * 2;

    /// <summary>The responses of probe number <paramref name="probe"/>, baseline first.</summary>
    public static IReadOnlyList<PlannedResponse> For(int probe)
    {
        var responses = new List<PlannedResponse>();
        for (var adult = 0; adult < Adults; adult++)
        {
            var start = 3 + (probe + adult) % 4;
            var points = adult == 0 ? FollowUpMonths : FollowUpMonths.Take(1);
            responses.Add(new PlannedResponse(adult, 0, Answers(start, probe)));
            foreach (var month in points)
            {
                responses.Add(new PlannedResponse(adult, month, Answers(start + month + (probe + 2 * adult) % 3 - 1, probe)));
            }
        }
        return responses;
    }

    public static int ResponsesPerCase => For(0).Count;

    /// <summary>The people the change report counts when the probes are cloned into <paramref name="copies"/> copies: every adult, once per case.</summary>
    public static long PeopleInChangeReport(int probes, int copies) => (long)probes * Adults * (copies + 1);

    private static Dictionary<string, int> Answers(int lifeSatisfaction, int probe) => new(StringComparer.Ordinal)
    {
        ["life-satisfaction"] = lifeSatisfaction,
        ["satisfaction-economy"] = Math.Max(0, lifeSatisfaction - 2),
        ["satisfaction-free-time"] = lifeSatisfaction,
        ["mastery"] = Math.Min(10, lifeSatisfaction + 1),
        ["belonging"] = 4 + probe % 5,
        ["neg-gratitude-debt"] = probe % 3,
    };
}
