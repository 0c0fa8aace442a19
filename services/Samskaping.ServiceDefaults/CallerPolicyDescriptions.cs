using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Samskaping.ServiceDefaults;

/// <summary>
/// Says in each operation of every service's OpenAPI document who may call it, from the endpoint's own
/// authorization policies, so the document cannot drift from what is enforced. Access to a particular case comes
/// on top (404 outside it).
/// </summary>
internal sealed class CallerPolicyDescriptions : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var policies = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>()
            .Select(a => a.Policy).OfType<string>().Distinct().ToList();
        var names = policies.Count == 0 ? "none beyond sign-in" : string.Join(", ", policies.Select(p => $"policy {p}"));
        var who = policies.Count == 0 ? "any signed-in user" : string.Join("; and ", policies.Select(Describe));
        operation.Description = $"{operation.Description}\n\nAuthorization: {names}. Who may call: {who}.".TrimStart();
        return Task.CompletedTask;
    }

    private static string Describe(string policy) => policy switch
    {
        Policies.SectorStaff => "caseworkers, coordinators and grant approvers of a known sector",
        Policies.CaseWorker => "caseworkers and coordinators of a known sector",
        Policies.GrantApprover => "grant approvers",
        Policies.Analyst => "analysts",
        Policies.Admin => "administrators",
        Policies.PrivacyOfficerOrAdmin => "privacy officers and administrators",
        Policies.Citizen => "a citizen signed in with their national identity number (pid) at level substantial or high, no staff",
        _ => $"holders of policy {policy}",
    };
}
