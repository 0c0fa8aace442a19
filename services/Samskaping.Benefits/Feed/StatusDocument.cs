using System.Globalization;
using System.Text.Json.Nodes;
using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Grants;

namespace Samskaping.Benefits.Feed;

/// <summary>
/// Builds a case's complete <c>digisos-soker</c> document (NAV's status feed) from the facts received so far. NAV's
/// reader replaces the previous document with each one it receives, so the whole history is rebuilt every time;
/// the same facts always give the same document, whatever order they arrived in.
/// </summary>
/// <remarks>
/// Mapping:
/// <list type="bullet">
/// <item><c>soknadsStatus</c> MOTTATT first, at the case's opening (or, before that is known, the first reported
/// grant request); UNDER_BEHANDLING when the first reported grant was requested; FERDIGBEHANDLET when the case closed
/// (UNDER_BEHANDLING again if it was reopened).</item>
/// <item>one <c>saksStatus</c> per reported grant (referanse = grant id, tittel = purpose), UNDER_BEHANDLING from the
/// request, and again when an appeal on its decision is registered (the matter is considered anew).</item>
/// <item>one <c>vedtakFattet</c> per decision letter (saksreferanse = grant id; utfall INNVILGET, DELVIS_INNVILGET,
/// AVSLATT or AVVIST; <c>vedtaksfil.referanse</c> a <c>dokumentlager</c> reference whose id is the letter's id). A
/// changed decision after an appeal is a new letter and so a new <c>vedtakFattet</c>, which NAV's innsyn shows as the
/// matter's latest decision. A decline that has no letter (decided before letters were issued) is shown as
/// <c>saksStatus</c> BEHANDLES_IKKE, as before.</item>
/// <item>one <c>utbetaling</c> per change of a disbursement (planned, raised and so planned again, paid, stopped,
/// cancelled), each complete, so the last one for an utbetalingsreferanse tells its current state. A payment is shown only once both its plan and
/// its grant's request have arrived: a "paid" that overtook its "planned" on the bus waits for it.</item>
/// </list>
/// </remarks>
public static class StatusDocument
{
    public const string SchemaVersion = "1.0.0";
    public const string PaymentMethod = "kontooverføring";

    /// <summary>The document, or null when the case has no grant reported to the benefit system (no feed).</summary>
    public static JsonObject? Build(FeedFacts facts, string systemName, string systemVersion)
    {
        var grants = facts.ReportableRequests;
        if (grants.Count == 0)
        {
            return null;
        }
        var firstGrantAt = grants[0].RequestedAt;
        // The family cannot have asked before the case existed; a skewed clock must not put MOTTATT after the rest.
        var receivedAt = facts.OpenedAt is { } opened && opened < firstGrantAt ? opened : firstGrantAt;

        var events = new List<(DateTimeOffset At, int Rank, JsonObject Event)>
        {
            (firstGrantAt, 0, Application("UNDER_BEHANDLING", firstGrantAt)),
        };
        foreach (var closed in facts.Closings)
        {
            events.Add((closed.ClosedAt, 9, Application("FERDIGBEHANDLET", closed.ClosedAt)));
        }
        foreach (var reopened in facts.StatusChanges.Where(c => c.From is CaseStatuses.Closed && c.To is not CaseStatuses.Closed && c.ChangedAt > firstGrantAt))
        {
            events.Add((reopened.ChangedAt, 0, Application("UNDER_BEHANDLING", reopened.ChangedAt)));
        }

        var reportedGrants = grants.ToDictionary(g => g.GrantId);
        foreach (var grant in grants)
        {
            events.Add((grant.RequestedAt, 1, Matter(grant, "UNDER_BEHANDLING", grant.RequestedAt)));
        }
        var lettered = facts.Letters.Select(l => l.GrantId).ToHashSet();
        foreach (var letter in facts.Letters.Where(l => reportedGrants.ContainsKey(l.GrantId)))
        {
            events.Add((letter.IssuedAt, 2, Decision(letter)));
        }
        foreach (var appeal in facts.Appeals.Where(a => reportedGrants.ContainsKey(a.GrantId)))
        {
            events.Add((appeal.RegisteredAt, 2, Matter(reportedGrants[appeal.GrantId], "UNDER_BEHANDLING", appeal.RegisteredAt)));
        }
        foreach (var declined in facts.Declines.Where(d => reportedGrants.ContainsKey(d.GrantId) && !lettered.Contains(d.GrantId)))
        {
            events.Add((declined.DeclinedAt, 2, Matter(reportedGrants[declined.GrantId], "BEHANDLES_IKKE", declined.DeclinedAt)));
        }

        foreach (var plans in facts.Planned.Where(p => p.ReportToBenefitSystem && reportedGrants.ContainsKey(p.GrantId)).GroupBy(p => p.DisbursementId))
        {
            // A planned payment raised later (a decision changed on appeal) is planned again with its new amount: each
            // plan is an utbetaling of its own, and what became of the payment is told once, with the latest plan.
            foreach (var planned in plans)
            {
                events.Add((planned.PlannedAt, 3, Payment(planned, "PLANLAGT_UTBETALING", planned.PlannedAt, planned.Amount, paidOn: null)));
            }
            var plan = plans.MaxBy(p => p.PlannedAt)!;
            foreach (var paid in facts.Paid.Where(p => p.DisbursementId == plan.DisbursementId))
            {
                events.Add((paid.RecordedAt, 4, Payment(plan, "UTBETALT", paid.RecordedAt, paid.Amount, paid.PaidOn)));
            }
            foreach (var stopped in facts.Stopped.Where(s => s.DisbursementId == plan.DisbursementId))
            {
                events.Add((stopped.StoppedAt, 4, Payment(plan, "STOPPET", stopped.StoppedAt, stopped.Amount, paidOn: null)));
            }
            foreach (var cancelled in facts.Cancelled.Where(c => c.DisbursementId == plan.DisbursementId))
            {
                events.Add((cancelled.CancelledAt, 4, Payment(plan, "ANNULLERT", cancelled.CancelledAt, cancelled.Amount, paidOn: null)));
            }
        }

        var history = new JsonArray { Application("MOTTATT", receivedAt) };
        foreach (var (_, _, e) in events.OrderBy(e => e.At).ThenBy(e => e.Rank).ThenBy(e => Reference(e.Event), StringComparer.Ordinal))
        {
            history.Add(e);
        }
        return new JsonObject
        {
            ["version"] = SchemaVersion,
            ["avsender"] = new JsonObject { ["systemnavn"] = systemName, ["systemversjon"] = systemVersion },
            ["hendelser"] = history,
        };
    }

    /// <summary>UTC with exactly milliseconds, as NAV's reader wants: 2026-01-15T10:00:00.000Z.</summary>
    public static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Norwegian account numbers are often written 1234.56.78903 or with spaces; NAV wants the 11 digits.</summary>
    public static string AccountNumber(string account) =>
        new(account.Where(c => c is not ('.' or ' ')).ToArray());

    private static JsonObject Application(string status, DateTimeOffset at) => new()
    {
        ["type"] = "soknadsStatus",
        ["hendelsestidspunkt"] = Timestamp(at),
        ["status"] = status,
    };

    private static JsonObject Matter(GrantRequested grant, string status, DateTimeOffset at) => new()
    {
        ["type"] = "saksStatus",
        ["hendelsestidspunkt"] = Timestamp(at),
        ["referanse"] = grant.GrantId.ToString(),
        ["tittel"] = grant.Purpose,
        ["status"] = status,
    };

    /// <summary>NAV's names of the outcomes (utfall) of <see cref="DecisionOutcomes"/>.</summary>
    public static string Outcome(string outcome) => outcome switch
    {
        DecisionOutcomes.Granted => "INNVILGET",
        DecisionOutcomes.PartlyGranted => "DELVIS_INNVILGET",
        DecisionOutcomes.Refused => "AVSLATT",
        DecisionOutcomes.Dismissed => "AVVIST",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Not a decision outcome."),
    };

    private static JsonObject Decision(DecisionLetterIssued letter) => new()
    {
        ["type"] = "vedtakFattet",
        ["hendelsestidspunkt"] = Timestamp(letter.IssuedAt),
        ["saksreferanse"] = letter.GrantId.ToString(),
        ["utfall"] = Outcome(letter.Outcome),
        ["vedtaksfil"] = new JsonObject
        {
            ["referanse"] = new JsonObject { ["type"] = "dokumentlager", ["id"] = letter.LetterId.ToString() },
        },
    };

    private static JsonObject Payment(DisbursementPlanned plan, string status, DateTimeOffset at, decimal amount, DateOnly? paidOn)
    {
        var thirdParty = plan.PayeeKind == PayeeKinds.ThirdParty;
        var payment = new JsonObject
        {
            ["type"] = "utbetaling",
            ["hendelsestidspunkt"] = Timestamp(at),
            ["utbetalingsreferanse"] = plan.DisbursementId.ToString(),
            ["saksreferanse"] = plan.GrantId.ToString(),
            ["status"] = status,
            ["belop"] = decimal.Round(amount, 2),
            ["beskrivelse"] = plan.Purpose,
            ["forfallsdato"] = Date(plan.DueOn),
        };
        if (paidOn is { } paid)
        {
            payment["utbetalingsdato"] = Date(paid);
        }
        // Always set: NAV's reader takes a missing annenMottaker as "someone else" and hides the account from the family.
        payment["annenMottaker"] = thirdParty;
        payment["mottaker"] = thirdParty && !string.IsNullOrWhiteSpace(plan.OrganisationNumber) ? plan.OrganisationNumber : plan.PayeeName;
        payment["kontonummer"] = AccountNumber(plan.AccountNumber);
        payment["utbetalingsmetode"] = PaymentMethod;
        return payment;
    }

    private static string Reference(JsonObject e) =>
        (e["utbetalingsreferanse"] ?? e["referanse"] ?? e["saksreferanse"])?.GetValue<string>() ?? "";
}
