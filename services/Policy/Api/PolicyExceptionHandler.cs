using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Trunk.Policy.Api;

/// <summary>
/// Turns a body that is not valid JSON for its type into a 400 naming the field (from the JSON path), and a lost
/// write race or a taken unique value into a 409, both as RFC 7807 problem details.
/// </summary>
internal sealed partial class PolicyExceptionHandler(IProblemDetailsService problems, ILogger<PolicyExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails? problem = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => new HttpValidationProblemDetails(
                new Dictionary<string, string[]> { [FieldOf(json.Path)] = ["The value is not valid for this field."] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request has invalid fields.",
            },
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "Bad request.",
                Detail = bad.Message,
            },
            _ when Conflicts.IsConflict(exception) => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Conflicting write.",
                Detail = "Another write changed or holds this resource; read it again and retry.",
            },
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        LogRejected(httpContext.Request.Method, httpContext.Request.Path, problem.Status ?? 0, exception.GetType().Name);
        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        }).ConfigureAwait(false);
    }

    /// <summary><c>$.terminationUris[1]</c> → <c>terminationUris[1]</c>; an unreadable body as a whole → <c>body</c>.</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$', '.');

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} answered {Status} ({Exception})")]
    private partial void LogRejected(string method, string path, int status, string exception);
}
