using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Trunk.Testing.Sip;

/// <summary>Runs the real SIPp (Debian package sip-tester) as a bounded child process on a scenario of ours.</summary>
public sealed class Sipp : IAsyncDisposable
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

    /// <summary>The UAS's address as a SIP URI, e.g. a trunk's termination URI or carrier gateway.</summary>
    public string Uri => $"sip:127.0.0.1:{Port}";

    /// <summary>UDP, one socket (SIPp's <c>-t u1</c>).</summary>
    public const string Udp = "u1";

    /// <summary>TCP, one connection (SIPp's <c>-t t1</c>).</summary>
    public const string Tcp = "t1";

    /// <summary>A UAS waiting on a free loopback port for <paramref name="calls"/> calls.</summary>
    public static Sipp Server(string scenarioFile, int calls = 1, string transport = Udp) =>
        Start(scenarioFile, FreePort.UdpAndTcp(), ["-m", calls.ToString(CultureInfo.InvariantCulture), "-t", transport]);

    /// <summary>A UAC calling <paramref name="service"/> (the Request-URI user, e.g. a DID) at the trunk over UDP.</summary>
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
                     "-timeout", "20s", "-timeout_error", "-nostdin", "-trace_err", "-error_file", errors]))
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
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var output = new StringBuilder().Append(await _stdout.ConfigureAwait(false)).Append(await _stderr.ConfigureAwait(false));
        if (File.Exists(_errors))
        {
            output.AppendLine().Append(await File.ReadAllTextAsync(_errors).ConfigureAwait(false));
        }

        return (_process.ExitCode, output.ToString());
    }

    /// <summary>Asserts that every call of the run passed; the failure message carries SIPp's errors and <paramref name="diagnostics"/> (e.g. the hosts' logs).</summary>
    public async Task AssertPassedAsync(string role, Func<string> diagnostics, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var (exitCode, output) = await WaitAsync(timeout ?? TimeSpan.FromSeconds(25)).ConfigureAwait(false);
        Assert.True(exitCode == 0, $"SIPp {role} failed (exit {exitCode}):\n{Tail(output)}\n{diagnostics()}");
    }

    /// <summary>The last part of a long text, enough for a failure message.</summary>
    public static string Tail(string output, int length = 6000)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.Length > length ? output[^length..] : output;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }
}
