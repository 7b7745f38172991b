using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Trunk.Sip.Tests.Interop;

/// <summary>Runs the real SIPp (Debian package sip-tester) as a bounded child process.</summary>
internal sealed class Sipp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private Sipp(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public static string ScenarioPath(string name) => Path.Combine(AppContext.BaseDirectory, "Interop", "Scenarios", name);

    /// <summary>Starts SIPp with bounding flags added: a 30 s timeout that counts as failure, no stdin.</summary>
    public static Sipp Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("sipp")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var argument in arguments.Concat(["-timeout", "30s", "-timeout_error", "-nostdin", "-trace_err",
                     "-error_file", Path.Combine(Path.GetTempPath(), $"sipp-{Guid.NewGuid():N}.err")]))
        {
            start.ArgumentList.Add(argument);
        }

        return new Sipp(Process.Start(start) ?? throw new InvalidOperationException("sipp did not start (apt-get install -y sip-tester)."));
    }

    /// <summary>Waits for SIPp to finish; its exit code is 0 only when every call succeeded.</summary>
    public async Task<(int ExitCode, string Output)> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        return (_process.ExitCode, await _stdout + await _stderr);
    }

    /// <summary>
    /// Waits until SIPp has bound <paramref name="port"/> (a fixed sleep lost the race on a loaded machine: the
    /// first INVITE met a closed UDP port and came back as a transport error).
    /// </summary>
    public async Task WaitUntilListeningAsync(int port, bool tcp)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!IsBound(port, tcp))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"SIPp never listened on {port}: {await _stdout}{await _stderr}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Reads the kernel's socket table, so that probing never takes the port from SIPp.</summary>
    private static bool IsBound(int port, bool tcp)
    {
        var localPort = ":" + port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        return File.ReadLines(tcp ? "/proc/net/tcp" : "/proc/net/udp")
            .Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(fields => fields[1].EndsWith(localPort, StringComparison.Ordinal) && (!tcp || fields[3] == "0A"));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
