using System.Text;

namespace Trunk.Testing.Sip;

/// <summary>
/// A SIPp scenario of the test project's <c>Scenarios/</c> output folder with its <c>{{NAME}}</c> placeholders
/// filled, written to a temporary file.
/// </summary>
public static class Scenario
{
    public static string Fragment(string name, IReadOnlyDictionary<string, string> values) => Fill(Read(name), values);

    public static string Write(string name, IReadOnlyDictionary<string, string> values)
    {
        var text = Fill(Read(name), values);
        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), $"sipp-{Path.GetFileNameWithoutExtension(name)}-{Guid.NewGuid():N}.xml");
        File.WriteAllText(path, text, Encoding.Latin1);
        return path;
    }

    private static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scenarios", name));

    private static string Fill(string text, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var (key, value) in values)
        {
            // An empty value alone on its line removes the line (optional header lines).
            text = value.Length == 0 ? text.Replace("\n{{" + key + "}}\n", "\n", StringComparison.Ordinal) : text;
            text = text.Replace("{{" + key + "}}", value, StringComparison.Ordinal);
        }

        return text;
    }
}
