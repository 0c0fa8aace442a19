using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination;

/// <summary>Says in each operation's description which authorization policies apply, so the API reference tells who may call.</summary>
internal sealed class CallerPolicyTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var policies = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>()
            .Select(a => a.Policy).OfType<string>().Distinct().ToList();
        var who = policies.Count == 0 ? "any signed-in user" : string.Join("; and ", policies.Select(Describe));
        operation.Description = $"{operation.Description}\n\nWho may call: {who}.".TrimStart();
        return Task.CompletedTask;
    }

    private static string Describe(string policy) => policy switch
    {
        Policies.SectorStaff => "policy sector-staff (caseworker, coordinator or grant-approver of a known sector)",
        Policies.CaseWorker => "policy case-worker (caseworker or coordinator of a known sector)",
        Policies.Admin => "policy admin",
        _ => $"policy {policy}",
    };
}
