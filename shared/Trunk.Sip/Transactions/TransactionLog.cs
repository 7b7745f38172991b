using Microsoft.Extensions.Logging;

namespace Trunk.Sip.Transactions;

internal static partial class TransactionLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "INVITE cancelled (Call-ID {SipCallId})")]
    public static partial void Cancelled(this ILogger logger, string? sipCallId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "{Method} server transaction failed: {Failure} (Call-ID {SipCallId})")]
    public static partial void ServerFailed(this ILogger logger, string method, string? sipCallId, TransactionFailure failure);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "No ACK for the 2xx within 64*T1 (Call-ID {SipCallId}): the dialog should be ended (RFC 3261 §13.3.1.4)")]
    public static partial void NoAckForSuccess(this ILogger logger, string? sipCallId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Request handler failed for {Method} (Call-ID {SipCallId})")]
    public static partial void HandlerFailed(this ILogger logger, Exception exception, string method, string? sipCallId);
}
