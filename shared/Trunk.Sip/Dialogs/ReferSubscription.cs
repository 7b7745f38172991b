using System.Globalization;
using Trunk.Sip.Messages;

namespace Trunk.Sip.Dialogs;

/// <summary>
/// The notifier side of the implicit subscription a REFER creates (RFC 3515 §2.4.4, RFC 6665):
/// NOTIFYs with <c>Event: refer;id=&lt;REFER CSeq&gt;</c> (RFC 6665 §8.2.1 / RFC 3515 §2.4.6), a
/// <c>message/sipfrag</c> body with the referred request's status, <c>active;expires=</c> while it
/// runs and <c>terminated;reason=noresource</c> for the final one. The subscription ends on that
/// final NOTIFY, or when a NOTIFY is answered 481 (RFC 6665 §4.1.3) or times out.
/// </summary>
public sealed class ReferSubscription
{
    private readonly object _gate = new();
    private readonly Dialog _dialog;
    private readonly TimeSpan _expires;

    public ReferSubscription(Dialog dialog, SipRequest refer, TimeSpan expires)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        ArgumentNullException.ThrowIfNull(refer);
        _dialog = dialog;
        _expires = expires;
        Id = (refer.CSeq?.Number ?? 1).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The <c>id</c> of the Event header: the REFER's CSeq number (RFC 3515 §2.4.6).</summary>
    public string Id { get; }

    public SubscriptionStatus Status { get; private set; } = SubscriptionStatus.Active;

    /// <summary>
    /// A NOTIFY reporting <paramref name="statusCode"/> of the referred request; a final status
    /// (≥ 200) terminates the subscription (RFC 3515 §2.4.5).
    /// </summary>
    public SipRequest CreateNotify(int statusCode, string? reasonPhrase = null)
    {
        lock (_gate)
        {
            if (Status == SubscriptionStatus.Terminated)
            {
                throw new InvalidOperationException($"The refer subscription {Id} has ended.");
            }

            var final = statusCode >= 200;
            var state = final
                ? $"{SubscriptionStateHeader.Terminated};reason=noresource"
                : $"{SubscriptionStateHeader.Active};expires={(long)_expires.TotalSeconds}";
            if (final)
            {
                Status = SubscriptionStatus.Terminated;
            }

            SipHeader[] headers =
            [
                new(SipHeaderNames.Event, $"refer;id={Id}"),
                new(SipHeaderNames.SubscriptionState, state),
            ];
            return _dialog.CreateRequest(SipMethod.Notify, headers, SipFragment.ForStatus(statusCode, reasonPhrase).ToBytes(),
                $"{SipFragment.MediaType};version=2.0");
        }
    }

    /// <summary>RFC 6665 §4.1.3 / §4.2.2: a 481 (or a timeout) to a NOTIFY ends the subscription.</summary>
    public void OnNotifyResponse(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode is 481 or 408)
        {
            lock (_gate)
            {
                Status = SubscriptionStatus.Terminated;
            }
        }
    }
}
