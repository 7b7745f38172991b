using System.Net;
using Microsoft.Extensions.Logging;

namespace Trunk.Sip.Transport;

internal static partial class TransportLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "SIP {Protocol} listening on {EndPoint}")]
    public static partial void Listening(this ILogger logger, string protocol, IPEndPoint endPoint);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Dropped unparseable message from {Peer}: {Reason}")]
    public static partial void MalformedDropped(this ILogger logger, SipPeer peer, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Answered 400 to malformed request from {Peer}: {Reason}")]
    public static partial void MalformedAnswered(this ILogger logger, SipPeer peer, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Closed TCP connection from {Remote}: {Reason}")]
    public static partial void ConnectionClosed(this ILogger logger, IPEndPoint remote, string reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Send to {Remote} over {Protocol} failed")]
    public static partial void SendFailed(this ILogger logger, Exception exception, string protocol, IPEndPoint remote);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "Handler failed for a message from {Peer}")]
    public static partial void HandlerFailed(this ILogger logger, Exception exception, SipPeer peer);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Debug, Message = "Receive error on {Protocol} {EndPoint}")]
    public static partial void ReceiveError(this ILogger logger, Exception exception, string protocol, IPEndPoint endPoint);
}
