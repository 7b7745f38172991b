using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

using Trunk.Testing;

namespace Trunk.Signaling.Tests.Support;

/// <summary>Runs the real SIPp (Debian package sip-tester) as a bounded child process on a scenario of ours.</summary>
internal sealed class Sipp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;
    private readonly string _errors;

    private Sipp(Process process, int port, string errors)
    {
        _process = process;
        Port = port;
        _errors = errors;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public int Port { get; }

    /// <summary>UDP, one socket (SIPp's <c>-t u1</c>).</summary>
    public const string Udp = "u1";

    /// <summary>TCP, one connection (SIPp's <c>-t t1</c>).</summary>
    public const string Tcp = "t1";

    /// <summary>A UAS waiting on a free loopback port for <paramref name="calls"/> calls.</summary>
    public static Sipp Server(string scenarioFile, int calls = 1, string transport = Udp) =>
        Start(scenarioFile, FreePort.UdpAndTcp(), ["-m", calls.ToString(CultureInfo.InvariantCulture), "-t", transport]);

    /// <summary>A UAC calling <paramref name="service"/> at the trunk over UDP.</summary>
    public static Sipp Client(string scenarioFile, int trunkPort, string service, int calls = 1, params string[] extra) =>
        ClientOver(Udp, scenarioFile, trunkPort, service, calls, extra);

    /// <summary>A UAC calling <paramref name="service"/> at the trunk over <paramref name="transport"/>.</summary>
    public static Sipp ClientOver(string transport, string scenarioFile, int trunkPort, string service, int calls = 1, params string[] extra) =>
        Start(scenarioFile, FreePort.UdpAndTcp(),
            ["-s", service, $"127.0.0.1:{trunkPort}", "-m", calls.ToString(CultureInfo.InvariantCulture), "-t", transport, .. extra]);

    private static Sipp Start(string scenarioFile, int port, string[] arguments)
    {
        var errors = Path.Combine(Path.GetTempPath(), $"sipp-{Guid.NewGuid():N}.err");
        var start = new ProcessStartInfo("sipp")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments.Concat(["-sf", scenarioFile, "-i", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture),
                     "-timeout", "15s", "-timeout_error", "-nostdin", "-trace_err", "-error_file", errors]))
        {
            start.ArgumentList.Add(argument);
        }

        return new Sipp(Process.Start(start) ?? throw new InvalidOperationException("sipp did not start (apt-get install -y sip-tester)."), port, errors);
    }

    /// <summary>Waits for SIPp to end; exit code 0 only when every call passed. The output includes SIPp's error file.</summary>
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

        var output = new StringBuilder().Append(await _stdout).Append(await _stderr);
        if (File.Exists(_errors))
        {
            output.AppendLine().Append(await File.ReadAllTextAsync(_errors));
        }

        return (_process.ExitCode, output.ToString());
    }

    /// <summary>Asserts that every call of the run passed; the failure message carries SIPp's errors and the end of the host's log.</summary>
    public async Task AssertPassedAsync(string role, SignalingFixture fixture)
    {
        var (exitCode, output) = await WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(exitCode == 0, $"SIPp {role} failed (exit {exitCode}):\n{Tail(output)}\n--- Signaling ---\n{Tail(fixture.Host.Output)}");
    }

    private static string Tail(string output) => output.Length > 6000 ? output[^6000..] : output;

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
