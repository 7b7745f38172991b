namespace Trunk.Sip.Dialogs;

/// <summary>The state of a subscription (RFC 6665 §4.1.2, §4.2.2).</summary>
public enum SubscriptionStatus
{
    Active,
    Terminated,
}
