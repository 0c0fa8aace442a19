using Samskaping.Contracts.Outcomes;
using Samskaping.Outcomes.Responses;

namespace Samskaping.Outcomes.Scoring;

public sealed record DomainChange(string Domain, double Baseline, double Latest, double Change, double? StandardErrorOfDifference, double? Index, string Classification);

public sealed record PersonChange(Guid PersonId, DateTimeOffset BaselineAt, DateTimeOffset LatestAt, string LatestKind, IReadOnlyList<DomainChange> Domains);

public static class PersonChanges
{
    /// <summary>Without norms for a domain there is no index: the change is shown, classified "unclassified".</summary>
    public const string Unclassified = "unclassified";

    /// <summary>
    /// Per person: the change from the baseline response to the latest later one, per domain both answered, with the
    /// reliable change index. Latest is the furthest point of the schedule answered (baseline &lt; follow-ups by month
    /// &lt; closing), whenever it was recorded. Only responses to the same instrument version are compared (scoring is
    /// versioned with it).
    /// </summary>
    public static IReadOnlyList<PersonChange> From(IEnumerable<ResponseDto> responses, OutcomesOptions options) =>
        [.. responses.GroupBy(r => r.PersonId).Select(person =>
        {
            var baseline = person.Where(r => r.MeasurementKind == MeasurementKinds.Baseline).MinBy(r => r.RecordedAt);
            var latest = baseline is null ? null : person
                .Where(r => r.MeasurementKind != MeasurementKinds.Baseline && r.InstrumentId == baseline.InstrumentId && r.InstrumentVersion == baseline.InstrumentVersion)
                .MaxBy(r => (r.SchedulePoint, r.RecordedAt));
            if (baseline is null || latest is null)
            {
                return null;
            }
            var scoringKey = $"{baseline.InstrumentId}-v{baseline.InstrumentVersion}";
            var domains = baseline.DomainScores.Keys.Intersect(latest.DomainScores.Keys).Order(StringComparer.Ordinal).Select(domain =>
            {
                var (x1, x2) = (baseline.DomainScores[domain], latest.DomainScores[domain]);
                if (options.Norm(scoringKey, domain) is not { } norm)
                {
                    return new DomainChange(domain, x1, x2, x2 - x1, null, null, Unclassified);
                }
                var rc = ReliableChange.Compute(x1, x2, norm);
                return new DomainChange(domain, x1, x2, rc.Change, rc.StandardErrorOfDifference, rc.Index, rc.Classification);
            });
            return new PersonChange(person.Key, baseline.RecordedAt, latest.RecordedAt, latest.MeasurementKind, [.. domains]);
        }).OfType<PersonChange>()];
}
