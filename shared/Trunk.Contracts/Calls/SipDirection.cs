namespace Trunk.Contracts.Calls;

/// <summary>Whether a traced SIP message was received or sent by the trunk.</summary>
public enum SipDirection
{
    Received,
    Sent,
}
