using System.Net;
using System.Text;

namespace Samskaping.Workspace.Api;

/// <summary>
/// The analyst's CSV downloads on /rapporter: each streams the API's own CSV of the same report with the same filters, as
/// the signed-in person, so the file holds exactly the rows (and the suppression) the table on the page shows.
/// </summary>
internal static class ReportDownloads
{
    public static IEndpointRouteBuilder MapReportDownloads(this IEndpointRouteBuilder app)
    {
        var downloads = app.MapGroup("/rapporter").RequireAuthorization();
        downloads.MapGet("/endring.csv", (string? by, string? domain, ApiClient api, HttpContext context) =>
            Pass(api, context, Query("/api/outcomes/reports/change", ("format", "csv"), ("by", by), ("domain", domain)), "samskaping-endring.csv"));
        downloads.MapGet("/fond.csv", (ApiClient api, HttpContext context) =>
            Pass(api, context, "/api/grants/reports/funds?format=csv", "samskaping-fond.csv"));
        downloads.MapGet("/forbruk.csv", (string? fond, ApiClient api, HttpContext context) =>
            Pass(api, context, Query("/api/grants/reports/spending", ("format", "csv"), ("fundId", fond)), "samskaping-forbruk.csv"));
        return app;
    }

    private static string Query(string path, params (string Name, string? Value)[] parameters) =>
        path + "?" + string.Join("&", parameters.Where(p => !string.IsNullOrEmpty(p.Value))
            .Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));

    private static async Task Pass(ApiClient api, HttpContext context, string path, string fileName)
    {
        using var answer = await api.Download(path, context.RequestAborted);
        var response = context.Response;
        if (!answer.IsSuccessStatusCode)
        {
            // The same refusal as the page shows, in words; the API's English problem text stays with the API.
            response.StatusCode = (int)answer.StatusCode;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync(answer.StatusCode switch
            {
                HttpStatusCode.Forbidden or HttpStatusCode.NotFound => "Du har ikke tilgang til denne rapporten.",
                HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => "Rapporten kan ikke lages med disse valgene. Gå tilbake og velg på nytt.",
                _ => "Rapporten kan ikke lastes ned nå. Prøv igjen om litt.",
            }, Encoding.UTF8, context.RequestAborted);
            return;
        }
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        await answer.Content.CopyToAsync(response.Body, context.RequestAborted);
    }
}
