using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Trunk.Webhooks.Delivery;

/// <summary>
/// The <c>Trunk-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256&gt;</c>, where the HMAC is keyed
/// with the account's secret over <c>"&lt;t&gt;.&lt;raw body&gt;"</c> (UTF-8). A receiver recomputes it over the bytes
/// it received, compares in constant time and rejects a <c>t</c> older than its tolerance (replays). Each try is signed
/// anew, so <c>t</c> is the time of that try.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Trunk-Signature";
    public const string IdHeader = "Trunk-Webhook-Id";
    public const string TypeHeader = "Trunk-Webhook-Type";

    public static string Sign(string secret, DateTimeOffset time, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var timestamp = time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }
}
