using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Samskaping.ServiceDefaults;

/// <summary>Describes the bearer token every operation needs, so the API reference can send one.</summary>
internal sealed class BearerSecuritySchemeTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            // RFC 8725 (JWT best current practices) is what Extensions.Configure enforces: signed tokens only (never
            // alg "none"), one algorithm (HS256) or the authority's published keys, issuer, audience and expiry always
            // checked with a bounded clock skew, and a subject required.
            Description = "A JWT with the claims sub, name, role and sector, validated as RFC8725 recommends: signed (alg 'none' "
                + "is refused) with HS256 or the configured authority's keys only; issuer, audience, expiry and subject are checked. "
                + "Locally: ./samskaping token --sector oppvekst --role caseworker",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
        return Task.CompletedTask;
    }
}
