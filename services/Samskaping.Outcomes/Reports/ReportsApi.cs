using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Samskaping.Access;
using Samskaping.ServiceDefaults;

namespace Samskaping.Outcomes.Reports;

public static class ReportsApi
{
    public static void MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        // Analysts see aggregates and the pseudonymised export only; never a case.
        var reports = app.MapApiGroup("/api/outcomes/reports", "Group reports", Policies.Analyst);

        reports.MapGet("/change", Change)
            .WithName("GetChangeReport")
            .WithSummary("Change from baseline to latest, by sector, grant-size band, family type, period or who answered")
            .WithDescription("""
                by=respondent compares who answered: self, guardian, worker-with-person (the baseline and the latest response answered the
                same way) or mixed. Per group: n, mean change with a 95 % confidence interval (Student's t), Cohen's d_z, shares improved / unchanged /
                deteriorated by the reliable change index, and the prevalence of each negative effect above the alert level.
                Groups under Outcomes:MinimumCellSize (5) people are hidden, with complementary suppression so a hidden group can't
                be recovered from the total. format=json (default), csv, or svg (a chart to open in a browser). An unknown grouping,
                domain or format is 422 naming it.
                """)
            // One 200 with three media types (a second Produces for 200 would replace the first); csv and svg are text.
            .Produces<ChangeReportDto>(StatusCodes.Status200OK, "application/json", "text/csv", "image/svg+xml")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);

        reports.MapGet("/research-export", Export)
            .WithName("GetResearchExport")
            .WithSummary("Pseudonymised, k-anonymous CSV of every response for research")
            .WithDescription($"""
                One row per response: a keyed pseudonym per person (HMAC-SHA256 with Outcomes:PseudonymKey), the person's quasi-identifiers,
                which measurement, who answered, and the domain scores; no names, identity numbers, birth dates, response dates or free text.
                Disclosure control (k-anonymity, k = Outcomes:MinimumCellSize, the group reports' minimum cell, 5): the quasi-identifiers are
                age_band, role, family_type, lead_sector, grant_band and start_period, each given once per person as at their first response.
                Every combination of their values in an export stands for at least k people. To get there the whole export is generalised
                together, one rung at a time: start_period quarter → year; age_band → wide band (0-17, 18-66, 67+); grant_band → any;
                family_type → any; role → any; lead_sector → any; start_period → any; age_band → any. No single person is left out to
                spare a rung (they could be recovered by subtracting the export from a published group). Only when fewer than k people
                have answered at all is everyone suppressed: the export is then just the header line. The {SuppressedPeopleHeader} header
                counts the people left out. Access-logged.
                """)
            .Produces<string>(StatusCodes.Status200OK, "text/csv");
    }

    /// <summary>A domain name is never longer than this (the document's maxLength).</summary>
    public const int MaxDomainLength = 100;

    public static async Task<Results<Ok<ChangeReportDto>, ContentHttpResult, ProblemHttpResult>> Change(
        [Description("The grouping: sector (default), grant-band, family-type, period or respondent."), AllowedValues(Dimensions.Sector, Dimensions.GrantBand, Dimensions.FamilyType, Dimensions.Period, Dimensions.Respondent)] string? by,
        [Description("A scored domain of the instruments (default life-satisfaction)."), MaxLength(MaxDomainLength)] string? domain,
        [Description("json (default), csv or svg."), AllowedValues("json", "csv", "svg")] string? format,
        ChangeReports reports,
        CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var dimension = by ?? Dimensions.Sector;
        if (!Dimensions.All.Contains(dimension))
        {
            errors.Add("by", $"'{by}' is not a report dimension: use one of {string.Join(", ", Dimensions.All)}.");
        }
        var (domains, negative) = await reports.Domains(ct);
        var chosen = domain ?? "life-satisfaction";
        if (chosen.Length > MaxDomainLength || !domains.Contains(chosen))
        {
            errors.Add("domain", $"'{domain}' is not a scored domain; known: {string.Join(", ", domains.Order(StringComparer.Ordinal))}.");
        }
        var output = format ?? "json";
        if (output is not ("json" or "csv" or "svg"))
        {
            errors.Add("format", "Use json, csv or svg.");
        }
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The report request is not valid.", errors).ToProblem();
        }

        var report = await reports.Build(dimension, chosen, negative, ct);
        return output switch
        {
            "csv" => TypedResults.Text(ReportFormats.Csv(report), "text/csv", Encoding.UTF8),
            "svg" => TypedResults.Text(ReportFormats.Svg(report), "image/svg+xml", Encoding.UTF8),
            _ => TypedResults.Ok(report),
        };
    }

    /// <summary>How many people the research export left out because even fully generalised they would be fewer than k.</summary>
    public const string SuppressedPeopleHeader = "Suppressed-People";

    public static async Task<FileContentHttpResult> Export(
        CurrentUser user, ReportStore store, AccessLog accessLog, IOptions<OutcomesOptions> options, HttpResponse response, CancellationToken ct)
    {
        var rows = await store.Export(ct);
        var k = options.Value.MinimumCellSize;
        var export = ResearchExport.Build(rows, options.Value.PseudonymKey!, k);
        await accessLog.Write(user, null, null, "export",
            $"research export, pseudonymised, k-anonymous (k = {k}): {export.Responses} responses of {export.People} people, {export.SuppressedPeople} people suppressed", ct);
        response.Headers[SuppressedPeopleHeader] = export.SuppressedPeople.ToString(CultureInfo.InvariantCulture);
        return TypedResults.File(Encoding.UTF8.GetBytes(export.Csv), "text/csv", "samskaping-outcomes-research.csv");
    }
}
