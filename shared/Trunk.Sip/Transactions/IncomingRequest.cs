using Trunk.Sip.Messages;
using Trunk.Sip.Transport;

namespace Trunk.Sip.Transactions;

/// <summary>
/// A request handed to the application with its server transaction. Responses get our To tag
/// (one per request, §8.2.6.2) and, for dialog-creating 1xx/2xx, our Contact (§12.1.1).
/// </summary>
public sealed class IncomingRequest
{
    private readonly SipStack _stack;

    internal IncomingRequest(SipStack stack, ServerTransaction transaction)
    {
        _stack = stack;
        Transaction = transaction;
        Request = transaction.Request;
        LocalTag = Request.To?.Tag ?? SipIds.NewTag();
    }

    /// <summary>The request (kept here: its transaction releases it once the final response is out).</summary>
    public SipRequest Request { get; }

    public SipPeer Peer => Transaction.Peer;

    public ServerTransaction Transaction { get; }

    /// <summary>The To tag our responses carry: the request's own when in a dialog.</summary>
    public string LocalTag { get; }

    /// <summary>Signalled when a CANCEL arrived; the stack has already answered 487 (§9.2).</summary>
    public CancellationToken Cancelled => Transaction.Cancelled;

    /// <summary>Builds a response to this request, with our tag, Contact where a dialog may form, and an optional body.</summary>
    public SipResponse CreateResponse(int statusCode, string? reasonPhrase = null, ReadOnlyMemory<byte> body = default, string? contentType = null)
    {
        var response = Request.CreateResponse(statusCode, reasonPhrase, statusCode > 100 ? LocalTag : null);
        var headers = response.Headers;
        if (statusCode is > 100 and < 300 && IsDialogCreating(Request.Method))
        {
            headers = headers.Add(SipHeaderNames.Contact, $"<{_stack.ContactUri(Peer.Protocol)}>");
            foreach (var recordRoute in Request.Headers.GetAll(SipHeaderNames.RecordRoute))
            {
                // §12.1.1: the UAS copies Record-Route into dialog-creating responses.
                headers = headers.Add(SipHeaderNames.RecordRoute, recordRoute);
            }
        }

        if (_stack.Options.UserAgent is { } server)
        {
            headers = headers.Add(SipHeaderNames.Server, server);
        }

        var withHeaders = response.WithHeaders(headers);
        return body.IsEmpty ? withHeaders : (SipResponse)withHeaders.WithBody(body, contentType);
    }

    /// <summary>Sends a response built by <see cref="CreateResponse"/>; false when the transaction no longer takes one.</summary>
    public bool Respond(int statusCode, string? reasonPhrase = null, ReadOnlyMemory<byte> body = default, string? contentType = null) =>
        Respond(CreateResponse(statusCode, reasonPhrase, body, contentType));

    /// <summary>Sends a response; a 2xx to INVITE is retransmitted by the stack until the ACK (§13.3.1.4).</summary>
    public bool Respond(SipResponse response) => _stack.Respond(Transaction, response);

    private static bool IsDialogCreating(string method) =>
        method is SipMethod.Invite or SipMethod.Subscribe or SipMethod.Refer or SipMethod.Update;
}
