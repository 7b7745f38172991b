using System.Security.Cryptography;
using Trunk.Sip.Messages;

namespace Trunk.Sip.Transactions;

/// <summary>Fresh identifiers: branches with the magic cookie (§8.1.1.7), tags (§19.3) and Call-IDs (§8.1.1.4).</summary>
public static class SipIds
{
    public static string NewBranch() => ViaHeader.MagicCookie + Random(8);

    /// <summary>A tag with at least 32 bits of randomness (§19.3).</summary>
    public static string NewTag() => Random(6);

    public static string NewCallId(string host) => $"{Random(12)}@{host}";

    private static string Random(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
