using System.Diagnostics;

namespace Trunk.Testing.Messaging;

/// <summary>
/// <c>rabbitmqctl</c> on the test broker, as an operator would use it (the tests run beside it): virtual hosts, policies.
/// </summary>
public static class RabbitControl
{
    /// <summary>Runs <c>rabbitmqctl -q</c> with <paramref name="arguments"/>; a non-zero exit throws with its error output.</summary>
    public static async Task RunAsync(params string[] arguments)
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
        await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} exited {process.ExitCode}: {await error.ConfigureAwait(false)}");
        }
    }
}
