namespace Trunk.Sip.Messages;

/// <summary>Why a well-formed request is refused: the status code, a reason phrase naming the problem, and headers the response must carry.</summary>
public sealed record SipValidationFailure(int StatusCode, string Reason, SipHeaders ResponseHeaders)
{
    public SipValidationFailure(int statusCode, string reason)
        : this(statusCode, reason, SipHeaders.Empty)
    {
    }

    /// <summary>The response to send: §8.2.6 copies plus <see cref="ResponseHeaders"/> (Unsupported, Allow, Accept).</summary>
    public SipResponse CreateResponse(SipRequest request, string? toTag = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = request.CreateResponse(StatusCode, Reason, toTag);
        var headers = response.Headers;
        foreach (var header in ResponseHeaders)
        {
            headers = headers.Add(header.Name, header.Value);
        }

        return response.WithHeaders(headers);
    }
}
