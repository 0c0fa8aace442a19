using System.Net;
using System.Text;

namespace Samskaping.Workspace.Api;

/// <summary>
/// A decision letter on Min side: streams the PDF the cases service's citizen endpoint gives, as the signed-in person, so
/// the family gets exactly the letter the API lets them read (another case's letter is the API's 404, and here too).
/// </summary>
internal static class CitizenLetterDownloads
{
    public static IEndpointRouteBuilder MapCitizenLetterDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet(CitizenArea.Path + "/saker/{caseId:guid}/brev/{letterId:guid}", Letter).RequireAuthorization();
        return app;
    }

    private static async Task Letter(Guid caseId, Guid letterId, ApiClient api, HttpContext context)
    {
        using var answer = await api.Download($"/api/cases/citizen/cases/{caseId}/letters/{letterId}", context.RequestAborted);
        var response = context.Response;
        if (!answer.IsSuccessStatusCode)
        {
            // The refusal in words; the API's English problem text stays with the API.
            response.StatusCode = answer.StatusCode is HttpStatusCode.Forbidden ? StatusCodes.Status404NotFound : (int)answer.StatusCode;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync(answer.StatusCode switch
            {
                HttpStatusCode.NotFound or HttpStatusCode.Forbidden => "Vi fant ikke dette brevet i saken din.",
                _ => "Brevet kan ikke lastes ned nå. Prøv igjen om litt.",
            }, Encoding.UTF8, context.RequestAborted);
            return;
        }
        response.ContentType = "application/pdf";
        response.Headers.ContentDisposition = $"inline; filename=\"vedtak-{letterId}.pdf\"";
        await answer.Content.CopyToAsync(response.Body, context.RequestAborted);
    }
}
