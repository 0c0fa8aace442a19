using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases;

/// <summary>
/// Says in each operation of the OpenAPI document who may call it, from the endpoint's own authorization policy,
/// so the document cannot drift from what is enforced. Access to a particular case comes on top (404 outside it).
/// </summary>
internal sealed class AuthorizationDescriptions : IOpenApiOperationTransformer
{
    private static readonly Dictionary<string, string> Who = new()
    {
        [Policies.CaseWorker] = "caseworkers and coordinators of a known sector",
        [Policies.SectorStaff] = "caseworkers, coordinators and grant approvers of a known sector",
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var policies = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>()
            .Select(a => a.Policy).OfType<string>().Distinct().ToList();
        if (policies.Count > 0)
        {
            var who = string.Join("; ", policies.Select(p => Who.TryGetValue(p, out var w) ? $"{w} (policy {p})" : $"policy {p}"));
            operation.Description = $"{operation.Description}\n\nAuthorization: {who}.".TrimStart();
        }
        return Task.CompletedTask;
    }
}
