using System.Diagnostics;

namespace Trunk.Testing.Messaging;

/// <summary>
/// <c>rabbitmqctl</c> on the test broker, as an operator would use it (the tests run beside it): virtual hosts, policies.
/// </summary>
public static class RabbitControl
{
    /// <summary>Runs <c>rabbitmqctl -q</c> with <paramref name="arguments"/> and returns its output; a non-zero exit throws with its error output.</summary>
    public static async Task<string> RunAsync(params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo("rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-q");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("rabbitmqctl did not start.");
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} exited {process.ExitCode}: {await error.ConfigureAwait(false)}");
        }

        return output;
    }

    /// <summary>The virtual host's queues by name with their ready messages.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> QueuesAsync(string virtualHost)
    {
        var output = await RunAsync("list_queues", "-p", virtualHost, "--no-table-headers", "name", "messages_ready").ConfigureAwait(false);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))
            .ToDictionary(fields => fields[0], fields => long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
