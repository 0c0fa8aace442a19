using System.Security.Claims;
using Microsoft.AspNetCore.Components.Endpoints;

namespace Samskaping.Workspace;

/// <summary>
/// Keeps the family's area (Min side, <c>/min-side</c>) and the staff pages apart. A citizen's session — the person
/// signed in with a national identity number, as with ID-porten — sees only Min side: any other page sends them
/// there, and every page they do see has the family's layout, without the staff menus (<c>Routes.razor</c>). A staff
/// session at Min side is told it is the family's area (the pages say so).
/// </summary>
internal static class CitizenArea
{
    public const string Path = "/min-side";

    /// <summary>A citizen's session: the identity token named the person by <c>pid</c>. The number itself is never shown.</summary>
    public static bool IsCitizen(ClaimsPrincipal user) => user.HasClaim(c => c.Type == "pid");

    public static IApplicationBuilder UseCitizenArea(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (HttpMethods.IsGet(context.Request.Method) && IsCitizen(context.User) && !context.Request.Path.StartsWithSegments(Path)
            && context.GetEndpoint() is var endpoint && (endpoint is null || endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null))
        {
            context.Response.Redirect(Path);
            return Task.CompletedTask;
        }
        return next(context);
    });
}
