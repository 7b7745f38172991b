using Trunk.Sip.Messages;

namespace Trunk.Sip.Transactions;

/// <summary>
/// How a request finds its server transaction (RFC 3261 §17.2.3). With a magic-cookie branch:
/// branch, sent-by and method (ACK matching INVITE). Without one (RFC 2543 peers): Request-URI,
/// From tag, Call-ID, CSeq number, top Via and method; the To tag is checked afterwards
/// (<see cref="ServerTransaction"/>), because an ACK carries the tag our response added.
/// The sent-by is the Via's host (lower case, which is the host's own string when it is written so) and port, not a
/// string made for the key: a finished transaction keeps its key 32 s (bench/results/b2bua.md).
/// </summary>
public readonly record struct ServerTransactionKey(string Method, string Branch, string SentByHost, int SentByPort, string Rfc2543)
{
    /// <summary>The key of a request, with <paramref name="methodOverride"/> for CANCEL's target lookup (§9.2).</summary>
    public static bool TryCreate(SipRequest request, out ServerTransactionKey key, string? methodOverride = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        key = default;
        var via = request.TopVia;
        var cseq = request.CSeq;
        if (via is null || cseq is null)
        {
            return false;
        }

        // §17.2.3: "the method of the request matches the one that created the transaction, except for ACK".
        var method = methodOverride ?? (request.Method == SipMethod.Ack ? SipMethod.Invite : request.Method);
        var host = via.Host.ToLowerInvariant();
        var port = via.Port ?? 5060;
        if (via.IsRfc3261Branch)
        {
            key = new ServerTransactionKey(method, via.Branch!, host, port, string.Empty);
            return true;
        }

        // §17.2.3 fallback: the request's identity without the To tag; the top Via as written, without what we stamped.
        var topVia = (via with { Parameters = via.Parameters.Without("received").Without("rport") }).ToString();
        var identity = string.Join('\n', request.RequestUri.ToString(), request.From?.Tag, request.CallId,
            cseq.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), topVia);
        key = new ServerTransactionKey(method, string.Empty, host, port, identity);
        return true;
    }

    public bool IsRfc2543 => Branch.Length == 0;
}
