using Trunk.Sip.Messages;

namespace Trunk.Sip.Transactions;

/// <summary>
/// How a response finds its client transaction (RFC 3261 §17.1.3): the top Via branch and the
/// CSeq method (so that a CANCEL's responses do not match the INVITE with the same branch).
/// </summary>
public readonly record struct ClientTransactionKey(string Branch, string Method)
{
    public static bool TryCreate(SipMessage message, out ClientTransactionKey key)
    {
        ArgumentNullException.ThrowIfNull(message);
        key = default;
        if (message.TopVia?.Branch is not { } branch || message.CSeq is not { } cseq)
        {
            return false;
        }

        key = new ClientTransactionKey(branch, cseq.Method);
        return true;
    }
}
