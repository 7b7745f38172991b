using PhoneNumbers;
using Trunk.ServiceDefaults.Networking;
using Trunk.Sip.Messages;

namespace Trunk.Signaling.Transfers;

/// <summary>
/// The REFER checks Signaling answers itself (ARCHITECTURE.md, REFER table): 400 for none or several Refer-To, one that
/// does not parse, is not SIP(S) or whose user is not a possible E.164 number; 403 for a host other than the trunk's
/// domain or an address literal that is private, loopback or link-local; 491 while a transfer runs. Pure: no I/O (a
/// host name's addresses are <see cref="TargetHostResolver"/>'s).
/// </summary>
internal static class ReferCheck
{
    private static readonly PhoneNumberUtil Numbers = PhoneNumberUtil.GetInstance();

    public static ReferVerdict Evaluate(SipRequest refer, string trunkDomain, bool transferRunning)
    {
        ArgumentNullException.ThrowIfNull(refer);
        var count = refer.Headers.CountOf(SipHeaderNames.ReferTo);
        if (count != 1)
        {
            return ReferVerdict.Reject(400, count == 0 ? "Missing Refer-To" : "Several Refer-To");
        }

        if (refer.GetReferTo() is not { } referTo)
        {
            return ReferVerdict.Reject(400, "Unparsable Refer-To");
        }

        var uri = referTo.Uri;
        if (!uri.IsSip)
        {
            return ReferVerdict.Reject(400, "Refer-To is not a SIP URI");
        }

        if (!IsPossibleE164(uri.User))
        {
            return ReferVerdict.Reject(400, "Refer-To user is not an E.164 number");
        }

        var host = uri.Host.Trim('[', ']');
        if (IsInternal(host) || IsInternal(uri.Parameters.Get("maddr")))
        {
            return ReferVerdict.Reject(403, "Refer-To resolves to a private address");
        }

        if (!host.Equals(trunkDomain, StringComparison.OrdinalIgnoreCase))
        {
            return ReferVerdict.Reject(403, "Refer-To host is not the trunk's domain");
        }

        return transferRunning
            ? ReferVerdict.Reject(491, "A transfer is already in progress")
            : new ReferVerdict(0, string.Empty, uri.User!, host);
    }

    /// <summary><c>+</c> and at most 15 digits forming a possible number for its country (libphonenumber).</summary>
    public static bool IsPossibleE164(string? user)
    {
        if (user is not { Length: >= 3 and <= 16 } || user[0] != '+' || user.AsSpan(1).ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        try
        {
            return Numbers.IsPossibleNumber(Numbers.Parse(user, null));
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    /// <summary>An address literal that <see cref="InternalAddresses"/> contains; names are <see cref="TargetHostResolver"/>'s.</summary>
    public static bool IsInternal(string? host) => InternalAddresses.ContainsLiteral(host);
}
