namespace Trunk.Sip.Messages;

/// <summary>The SIP methods the stack knows by name (RFC 3261 §7.1, RFC 3515, RFC 6665, RFC 3311, RFC 3262).</summary>
public static class SipMethod
{
    public const string Invite = "INVITE";
    public const string Ack = "ACK";
    public const string Bye = "BYE";
    public const string Cancel = "CANCEL";
    public const string Options = "OPTIONS";
    public const string Register = "REGISTER";
    public const string Refer = "REFER";
    public const string Notify = "NOTIFY";
    public const string Subscribe = "SUBSCRIBE";
    public const string Update = "UPDATE";
    public const string Prack = "PRACK";
    public const string Info = "INFO";
    public const string Message = "MESSAGE";
}
