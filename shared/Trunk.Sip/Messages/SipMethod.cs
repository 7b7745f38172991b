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

    private static readonly string[] Known = [Invite, Ack, Bye, Cancel, Options, Register, Refer, Notify, Subscribe, Update, Prack, Info, Message];

    /// <summary>Every method above, in a fixed order.</summary>
    public static IReadOnlyList<string> All => Known;

    /// <summary>True for the methods above; method names are case-sensitive (§7.1).</summary>
    public static bool IsKnown(string method) => Array.IndexOf(Known, method) >= 0;

    /// <summary>The shared string for a known method, a new string otherwise.</summary>
    public static string Intern(ReadOnlySpan<char> method)
    {
        foreach (var known in Known)
        {
            if (method.SequenceEqual(known))
            {
                return known;
            }
        }

        return method.ToString();
    }

    internal static string Intern(ReadOnlySpan<byte> method)
    {
        foreach (var known in Known)
        {
            if (System.Text.Ascii.Equals(method, known))
            {
                return known;
            }
        }

        return System.Text.Encoding.UTF8.GetString(method);
    }
}
