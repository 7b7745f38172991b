using Trunk.Sip.Messages;

namespace Trunk.Sip.Dialogs;

/// <summary>
/// What a REFER's sender reads from a NOTIFY (RFC 3515 §2.4.5, RFC 6665 §4.1.3): which
/// subscription (Event id), its state, and the referred request's status from the sipfrag body.
/// </summary>
public sealed record ReferNotification(string? Id, SubscriptionStatus Status, int? StatusCode, string? Reason)
{
    /// <summary>Reads a NOTIFY; false when it is not a refer event or has no Subscription-State.</summary>
    public static bool TryRead(SipRequest notify, out ReferNotification? notification)
    {
        ArgumentNullException.ThrowIfNull(notify);
        notification = null;
        if (notify.GetEvent() is not { } header || !string.Equals(header.Package, "refer", StringComparison.OrdinalIgnoreCase)
            || notify.GetSubscriptionState() is not { } state)
        {
            return false;
        }

        int? statusCode = SipFragment.TryParse(notify.Body.Span, out var fragment) ? fragment.StatusCode : null;
        notification = new ReferNotification(header.Id, state.IsTerminated ? SubscriptionStatus.Terminated : SubscriptionStatus.Active,
            statusCode, state.Reason);
        return true;
    }
}
