using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Samskaping.Grants.Requests;

/// <summary>Where grants asks for a household's current benefits (section <c>Grants:Benefits</c>).</summary>
public sealed class BenefitsOptions
{
    public const string Section = "Grants:Benefits";

    /// <summary>The benefits service, e.g. http://127.0.0.1:5085. Left out: the decision view says benefits are not known.</summary>
    [Url] public string? BaseUrl { get; set; }

    /// <summary>How long a decision view waits for benefits before it answers without them.</summary>
    [Range(1, 30)] public int TimeoutSeconds { get; set; } = 5;
}

/// <summary>A benefit of a household member, as the decision view shows it.</summary>
public sealed record BenefitItem(Guid PersonId, string Role, string Type, decimal? MonthlyAmount, DateOnly? From, DateOnly? To);

/// <summary>
/// Asks the benefits service for the household's current benefits when a worker opens a decision, so flexible money
/// is decided knowing the family's social assistance. A synchronous call on purpose: benefits are looked up live in
/// the benefit system and kept only briefly, so there is no event stream to keep a read model from. The worker's own
/// token is passed on, so benefits applies its own access rules and access log to the same person. Never fails the
/// decision view: anything that goes wrong becomes <c>Known: false</c> with the reason.
/// </summary>
public sealed class CurrentBenefitsClient(IHttpClientFactory clients, IOptions<BenefitsOptions> options)
{
    public const string Client = "benefits";

    public static void Add(IServiceCollection services)
    {
        services.AddOptions<BenefitsOptions>().BindConfiguration(BenefitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CurrentBenefitsClient>();
        services.AddHttpClient(Client, (sp, http) =>
        {
            var o = sp.GetRequiredService<IOptions<BenefitsOptions>>().Value;
            if (o.BaseUrl is not null)
            {
                http.BaseAddress = new Uri(o.BaseUrl);
            }
            http.Timeout = TimeSpan.FromSeconds(o.TimeoutSeconds);
        });
    }

    public async Task<CurrentBenefits> For(Guid householdId, string? authorization, CancellationToken ct)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.BaseUrl))
        {
            return Unknown("not known: no benefits service is configured (Grants:Benefits:BaseUrl)");
        }
        if (!AuthenticationHeaderValue.TryParse(authorization, out var bearer) || !"Bearer".Equals(bearer.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return Unknown("not known: the request carried no bearer token to ask the benefits service with");
        }
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/benefits/households/{householdId}/benefits");
            request.Headers.Authorization = bearer;
            using var response = await clients.CreateClient(Client).SendAsync(request, ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var answer = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
                return Known(answer);
            }
            var detail = await ProblemDetail(response, ct);
            return Unknown(response.StatusCode switch
            {
                HttpStatusCode.ServiceUnavailable => $"unavailable: {detail ?? "the benefit system is unavailable"}",
                HttpStatusCode.NotFound => "not known: the benefits service knows no case of this household that your sector takes part in yet",
                _ => $"unavailable: the benefits service answered {(int)response.StatusCode}",
            });
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return Unknown(e is HttpRequestException
                ? "unavailable: the benefits service could not be reached"
                : $"unavailable: the benefits service did not answer within {o.TimeoutSeconds} seconds");
        }
        catch (JsonException)
        {
            return Unknown("unavailable: the benefits service's answer could not be read");
        }
    }

    private static CurrentBenefits Unknown(string reason) => new(false, reason, []);

    /// <summary>Known means asked and answered: without a fetch time the benefit system was never asked (no member, or
    /// none with an identity number), and its empty lists say nothing about the household's benefits.</summary>
    private static CurrentBenefits Known(JsonElement answer)
    {
        if (answer.GetProperty("fetchedAt").ValueKind != JsonValueKind.String)
        {
            return Unknown(answer.GetProperty("members").GetArrayLength() == 0
                ? "not known: the household has no members yet, so the benefit system was not asked"
                : "not known: no member of the household has an identity number the benefit system can be asked about");
        }
        var items = new List<BenefitItem>();
        var unidentified = 0;
        foreach (var member in answer.GetProperty("members").EnumerateArray())
        {
            var personId = member.GetProperty("personId").GetGuid();
            var role = member.GetProperty("role").GetString() ?? "";
            if (!member.GetProperty("identified").GetBoolean())
            {
                unidentified++;
            }
            foreach (var b in member.GetProperty("benefits").EnumerateArray())
            {
                items.Add(new BenefitItem(personId, role, b.GetProperty("type").GetString() ?? "",
                    b.TryGetProperty("monthlyAmount", out var amount) && amount.ValueKind == JsonValueKind.Number ? amount.GetDecimal() : null,
                    Date(b, "from"), Date(b, "to")));
            }
        }
        var fetchedAt = answer.GetProperty("fetchedAt").GetDateTimeOffset();
        var source = $"the benefit system, through the benefits service, as of {fetchedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}"
            + (unidentified > 0 ? $"; {unidentified} member(s) without an identity number could not be looked up" : "");
        return new CurrentBenefits(true, source, items);
    }

    private static DateOnly? Date(JsonElement benefit, string name) =>
        benefit.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? DateOnly.ParseExact(value.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;

    private static async Task<string?> ProblemDetail(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            return problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
