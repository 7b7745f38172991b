namespace Trunk.Sip.Sdp;

/// <summary>
/// <c>a=rtcp:&lt;port&gt; [IN IP4|IP6 &lt;address&gt;]</c> (RFC 3605 §2.1): where RTCP goes when it is not
/// the RTP port + 1 on the stream's connection address.
/// </summary>
public sealed record SdpRtcp(int Port, SdpConnection? Connection = null)
{
    public const string AttributeName = "rtcp";

    public SdpAttribute ToAttribute() => new(AttributeName, ToString());

    public override string ToString() =>
        Connection is null ? SdpNumbers.Format(Port) : $"{SdpNumbers.Format(Port)} {Connection}";

    public static bool TryParse(string value, out SdpRtcp? rtcp)
    {
        ArgumentNullException.ThrowIfNull(value);
        rtcp = null;
        var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (1 or 4) || !SdpNumbers.TryParsePort(fields[0], out var port))
        {
            return false;
        }

        SdpConnection? connection = null;
        if (fields.Length == 4
            && !SdpConnectionParser.TryParse(string.Join(' ', fields[1..]), out connection, out _))
        {
            return false;
        }

        rtcp = new SdpRtcp(port, connection);
        return true;
    }
}
