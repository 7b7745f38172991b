using Marten;

namespace Trunk.CallHistory.Pages;

/// <summary>The server-rendered pages under <c>/ui</c> (no script, no front-end build); <c>/</c> opens the call list.</summary>
public static class PagesEndpoints
{
    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder routes)
    {
        var ui = routes.MapGroup("/ui").ExcludeFromDescription();
        ui.MapGet("/calls", (HttpRequest request, IQuerySession session, CancellationToken token) => CallListPage.RenderAsync(request, session, token));
        ui.MapGet("/calls/{id:guid}", (Guid id, IQuerySession session, CancellationToken token) => CallDetailPage.RenderAsync(id, session, token));
        ui.MapGet("/analysis/hangups", (HttpRequest request, IQuerySession session, TimeProvider time, CancellationToken token) =>
            AnalysisPage.RenderAsync(request, session, time, token));
        routes.MapGet("/", () => Results.Redirect("/ui/calls")).ExcludeFromDescription();
        return routes;
    }
}
