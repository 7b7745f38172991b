namespace Trunk.ServiceDefaults.Security;

/// <summary>Who may call a service's HTTP API (section <c>Api</c>).</summary>
public sealed class ApiSettings
{
    public const string Section = "Api";

    /// <summary>The shortest key accepted: 128 bits of a random hex or base64 string.</summary>
    public const int MinKeyLength = 16;

    /// <summary>
    /// The keys that open the API (<c>Api:Keys:0</c>, <c>Api:Keys:1</c>, … so that a key can be rotated: add the new one,
    /// move the clients, remove the old). None: the API is open, with a warning at start. Empty entries are ignored.
    /// </summary>
    public IList<string> Keys { get; } = [];

    public IReadOnlyList<string> ConfiguredKeys => [.. Keys.Where(key => !string.IsNullOrEmpty(key))];
}
