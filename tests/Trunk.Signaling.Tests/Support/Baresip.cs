using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Trunk.Testing;

namespace Trunk.Signaling.Tests.Support;

/// <summary>
/// The real baresip softphone (Debian package baresip) headless on loopback: configured from a temporary directory,
/// one account that answers automatically, no audio device (its aubridge module is player and source), driven through its
/// ctrl_tcp module (JSON in netstrings: commands in, responses and call events out).
/// </summary>
internal sealed class Baresip : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();
    private TcpClient? _control;
    private readonly List<JsonElement> _events = [];

    private Baresip(Process process, string directory, int sipPort, int controlPort)
    {
        _process = process;
        _directory = directory;
        SipPort = sipPort;
        ControlPort = controlPort;
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int SipPort { get; }

    public int ControlPort { get; }

    /// <summary>Its account's URI: a termination URI for a trunk.</summary>
    public string Uri => $"sip:endpoint@127.0.0.1:{SipPort}";

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static Baresip Start()
    {
        var directory = Directory.CreateTempSubdirectory("baresip-").FullName;
        // baresip listens for SIP over TLS on the SIP port + 1: both must be free.
        var sipPort = FreePort.UdpAndTcp();
        while (!IsFree(sipPort + 1))
        {
            sipPort = FreePort.UdpAndTcp();
        }

        var controlPort = FreePort.Tcp();
        File.WriteAllText(Path.Combine(directory, "config"), string.Join('\n',
            "poll_method epoll",
            $"sip_listen 127.0.0.1:{sipPort.ToString(CultureInfo.InvariantCulture)}",
            "audio_player aubridge,nil",
            "audio_source aubridge,nil",
            "audio_alert aubridge,nil",
            "module_path /usr/lib/baresip/modules",
            "module g711.so",
            "module aubridge.so",
            "module_app account.so",
            "module_app menu.so",
            "module_app ctrl_tcp.so",
            $"ctrl_tcp_listen 127.0.0.1:{controlPort.ToString(CultureInfo.InvariantCulture)}",
            string.Empty));
        File.WriteAllText(Path.Combine(directory, "accounts"),
            $"<sip:endpoint@127.0.0.1:{sipPort.ToString(CultureInfo.InvariantCulture)}>;regint=0;answermode=auto;audio_codecs=PCMU\n");
        var start = new ProcessStartInfo("baresip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-f", directory, "-n", "127.0.0.1" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("baresip did not start (apt-get install -y baresip).");
        return new Baresip(process, directory, sipPort, controlPort);
    }

    /// <summary>Connects to ctrl_tcp once baresip listens there.</summary>
    public async Task ConnectAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", ControlPort);
                _control = client;
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Sends a command (as the menu module names it) and returns its response's data; fails when baresip says not ok.</summary>
    public async Task<string> CommandAsync(string command, string parameters, TimeSpan timeout)
    {
        var token = Guid.NewGuid().ToString("N");
        var json = JsonSerializer.SerializeToUtf8Bytes(new { command, @params = parameters, token });
        var stream = _control!.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{json.Length.ToString(CultureInfo.InvariantCulture)}:").Concat(json).Append((byte)',').ToArray());
        var response = await ReceiveAsync(m => m.TryGetProperty("response", out _) && m.GetProperty("token").GetString() == token, timeout);
        Assert.True(response.GetProperty("ok").GetBoolean(), $"baresip refused '{command} {parameters}': {response}\n{Output}");
        return response.GetProperty("data").GetString() ?? string.Empty;
    }

    /// <summary>Waits for a call event (CALL_ESTABLISHED, CALL_CLOSED, …).</summary>
    public Task<JsonElement> WaitForEventAsync(string type, TimeSpan timeout) =>
        ReceiveAsync(m => m.TryGetProperty("event", out _) && m.GetProperty("type").GetString() == type, timeout);

    private async Task<JsonElement> ReceiveAsync(Func<JsonElement, bool> match, TimeSpan timeout)
    {
        if (_events.FirstOrDefault(match) is { ValueKind: not JsonValueKind.Undefined } seen)
        {
            _events.Remove(seen);
            return seen;
        }

        using var cancel = new CancellationTokenSource(timeout);
        var stream = _control!.GetStream();
        while (true)
        {
            JsonElement message;
            try
            {
                message = await ReadNetstringAsync(stream, cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"baresip sent no matching message in {timeout}; seen: {string.Join(", ", _events)}\n{Output}");
            }

            if (match(message))
            {
                return message;
            }

            _events.Add(message);
        }
    }

    private static async Task<JsonElement> ReadNetstringAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var length = 0;
        var one = new byte[1];
        while (true)
        {
            await stream.ReadExactlyAsync(one, cancellationToken);
            if (one[0] == ':')
            {
                break;
            }

            length = (length * 10) + (one[0] - '0');
        }

        var body = new byte[length + 1];
        await stream.ReadExactlyAsync(body, cancellationToken);
        using var document = JsonDocument.Parse(body.AsMemory(0, length));
        return document.RootElement.Clone();
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _control?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
