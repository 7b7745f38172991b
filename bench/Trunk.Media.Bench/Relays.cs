using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MassTransit;
using Trunk.Contracts;
using Trunk.Contracts.Media;
using Trunk.Sip.Sdp;

namespace Trunk.Media.Bench;

/// <summary>A relay under test: a process whose CPU time is read, and its way of anchoring a call's two legs.</summary>
internal interface IRelay : IAsyncDisposable
{
    string Name { get; }

    int ProcessId { get; }

    /// <summary>Anchors a call whose caller and endpoint are the generator's sockets; returns where each sends, and the control round trips in ms.</summary>
    Task<(IPEndPoint CallerSendsTo, IPEndPoint EndpointSendsTo, double[] ControlMs)> SetUpAsync(int call, IPEndPoint caller, IPEndPoint endpoint);

    Task TearDownAsync(int call);
}

internal static class BenchSdp
{
    public static string Pcmu(IPEndPoint at) =>
        $"v=0\r\no=- {at.Port} 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {at.Port} RTP/AVP 0 101\r\n" +
        "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=ptime:20\r\na=sendrecv\r\n";

    public static IPEndPoint Address(string sdp)
    {
        var description = SdpSessionDescription.Parse(sdp);
        var audio = description.FirstActiveAudio!;
        return new IPEndPoint(IPAddress.Parse(description.GetConnection(audio)!.Address), audio.Port);
    }
}

/// <summary>Our Media host as a process, controlled over RabbitMQ exactly as Signaling would.</summary>
internal sealed class OurRelay : IRelay
{
    private readonly Process _process;
    private readonly IBusControl _bus;
    private readonly Guid[] _calls = [.. Enumerable.Range(0, 5000).Select(_ => Guid.NewGuid())];
    private readonly Dictionary<int, string> _queues = [];
    private readonly string _prefix;

    private OurRelay(Process process, IBusControl bus, string prefix)
    {
        _process = process;
        _bus = bus;
        _prefix = prefix;
    }

    public string Name => "Trunk.Media";

    public int ProcessId => _process.Id;

    public static async Task<OurRelay> StartAsync(string dll, RabbitOptions rabbit, int portMin, int portMax)
    {
        var prefix = $"bench-{Guid.NewGuid().ToString("N")[..6]}-";
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Urls"] = "http://127.0.0.1:0";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["RabbitMq__Host"] = rabbit.Host;
        start.Environment["RabbitMq__VirtualHost"] = rabbit.VirtualHost;
        start.Environment["RabbitMq__Username"] = rabbit.Username;
        start.Environment["RabbitMq__Password"] = rabbit.Password;
        start.Environment["Media__QueuePrefix"] = prefix;
        start.Environment["Media__PortMin"] = portMin.ToString(CultureInfo.InvariantCulture);
        start.Environment["Media__PortMax"] = portMax.ToString(CultureInfo.InvariantCulture);
        // As many forwarding threads as rtpengine's pollers here (4), so that on a shared machine both get the same scheduler share.
        start.Environment["Media__ReceiveLoops"] = "4";
        start.Environment["Media__NoAudioSeconds"] = "300";
        start.Environment["Media__MediaTimeoutSeconds"] = "900";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Log(e.Data);
        process.ErrorDataReceived += (_, e) => Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(rabbit.Host, 5672, rabbit.VirtualHost, h =>
        {
            h.Username(rabbit.Username);
            h.Password(rabbit.Password);
        }));
        await bus.StartAsync();
        var relay = new OurRelay(process, bus, prefix);
        await relay.WaitUntilConsumingAsync();
        return relay;
    }

    public async Task<(IPEndPoint CallerSendsTo, IPEndPoint EndpointSendsTo, double[] ControlMs)> SetUpAsync(int call, IPEndPoint caller, IPEndPoint endpoint)
    {
        var id = _calls[call];
        var timings = new double[3];
        var watch = Stopwatch.StartNew();
        var shared = _bus.CreateRequestClient<AllocateMedia>(new Uri($"queue:{_prefix}media?autodelete=true"), RequestTimeout.After(s: 30));
        var callerAnswer = await shared.GetResponse<MediaAllocated>(new AllocateMedia(id, DateTimeOffset.UtcNow, LegSide.Caller, BenchSdp.Pcmu(caller)));
        timings[0] = watch.Elapsed.TotalMilliseconds;
        var queue = callerAnswer.Message.Queue;
        lock (_queues)
        {
            _queues[call] = queue;
        }

        var instance = _bus.CreateRequestClient<AllocateMedia>(new Uri($"queue:{queue}?autodelete=true"), RequestTimeout.After(s: 30));
        watch.Restart();
        var offer = await instance.GetResponse<MediaAllocated>(new AllocateMedia(id, DateTimeOffset.UtcNow, LegSide.Endpoint, ""));
        timings[1] = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        await instance.GetResponse<MediaAllocated>(new AllocateMedia(id, DateTimeOffset.UtcNow, LegSide.Endpoint, BenchSdp.Pcmu(endpoint)));
        timings[2] = watch.Elapsed.TotalMilliseconds;
        return (BenchSdp.Address(callerAnswer.Message.LocalSdp), BenchSdp.Address(offer.Message.LocalSdp), timings);
    }

    public async Task TearDownAsync(int call)
    {
        string queue;
        lock (_queues)
        {
            queue = _queues[call];
        }

        var endpoint = await _bus.GetSendEndpoint(new Uri($"queue:{queue}?autodelete=true"));
        await endpoint.Send(new ReleaseMedia(_calls[call], DateTimeOffset.UtcNow, LegSide.Caller));
        await endpoint.Send(new ReleaseMedia(_calls[call], DateTimeOffset.UtcNow, LegSide.Endpoint));
    }

    public async ValueTask DisposeAsync()
    {
        await _bus.StopAsync();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static void Log(string? line)
    {
        if (line is { Length: > 0 })
        {
            Console.Error.WriteLine($"[media] {line}");
        }
    }

    private async Task WaitUntilConsumingAsync()
    {
        var probe = _bus.CreateRequestClient<AllocateMedia>(new Uri($"queue:{_prefix}media?autodelete=true"), RequestTimeout.After(s: 2));
        for (var attempt = 0; attempt < 30; attempt++)
        {
            try
            {
                var id = Guid.NewGuid();
                var answer = await probe.GetResponse<MediaAllocated>(new AllocateMedia(id, DateTimeOffset.UtcNow, LegSide.Caller, BenchSdp.Pcmu(new IPEndPoint(IPAddress.Loopback, 9))));
                var release = await _bus.GetSendEndpoint(new Uri($"queue:{answer.Message.Queue}?autodelete=true"));
                await release.Send(new ReleaseMedia(id, DateTimeOffset.UtcNow, LegSide.Caller));
                return;
            }
            catch (RequestTimeoutException)
            {
                await Task.Delay(500);
            }
        }

        throw new TimeoutException("The Media host never answered AllocateMedia.");
    }
}

internal sealed record RabbitOptions(string Host, string VirtualHost, string Username, string Password);

/// <summary>rtpengine with userspace forwarding (no kernel table), controlled over its ng protocol (bencode over UDP).</summary>
internal sealed class RtpEngineRelay : IRelay
{
    private readonly Process _process;
    private readonly Socket _control = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _ng;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _cookie;

    private RtpEngineRelay(Process process, IPEndPoint ng)
    {
        _process = process;
        _ng = ng;
        _control.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _control.ReceiveTimeout = 2000;
    }

    public string Name => "rtpengine";

    public int ProcessId => _process.Id;

    public static async Task<RtpEngineRelay> StartAsync(int ngPort, int portMin, int portMax)
    {
        var start = new ProcessStartInfo("rtpengine") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "--config-file=none", "--table=-1", "--interface=127.0.0.1", $"--listen-ng=127.0.0.1:{ngPort}",
            $"--port-min={portMin}", $"--port-max={portMax}", "--foreground", "--log-stderr", "--log-level=3",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 })
            {
                Console.Error.WriteLine($"[rtpengine] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var relay = new RtpEngineRelay(process, new IPEndPoint(IPAddress.Loopback, ngPort));
        for (var attempt = 0; attempt < 50; attempt++)
        {
            await Task.Delay(100);
            if (relay.TryCommand("d7:command4:pinge", out var pong) && pong.Contains("pong", StringComparison.Ordinal))
            {
                return relay;
            }
        }

        throw new TimeoutException("rtpengine never answered ping.");
    }

    public async Task<(IPEndPoint CallerSendsTo, IPEndPoint EndpointSendsTo, double[] ControlMs)> SetUpAsync(int call, IPEndPoint caller, IPEndPoint endpoint)
    {
        await _gate.WaitAsync();
        try
        {
            var callId = $"bench-call-{call}";
            var watch = Stopwatch.StartNew();
            var offer = Command($"d7:command5:offer{B("call-id")}{B(callId)}{B("from-tag")}{B("caller")}{B("sdp")}{B(BenchSdp.Pcmu(caller))}e");
            var offerMs = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            var answer = Command($"d7:command6:answer{B("call-id")}{B(callId)}{B("from-tag")}{B("caller")}{B("to-tag")}{B("endpoint")}{B("sdp")}{B(BenchSdp.Pcmu(endpoint))}e");
            var answerMs = watch.Elapsed.TotalMilliseconds;
            return (BenchSdp.Address(SdpOf(answer)), BenchSdp.Address(SdpOf(offer)), [offerMs, answerMs]);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task TearDownAsync(int call)
    {
        await _gate.WaitAsync();
        try
        {
            Command($"d7:command6:delete{B("call-id")}{B($"bench-call-{call}")}{B("from-tag")}{B("caller")}e");
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static string B(string value) => $"{Encoding.UTF8.GetByteCount(value)}:{value}";

    /// <summary>The value of the "sdp" key of a bencoded answer.</summary>
    private static string SdpOf(string response)
    {
        var key = response.IndexOf("3:sdp", StringComparison.Ordinal);
        if (key < 0)
        {
            throw new InvalidOperationException($"rtpengine answered without SDP: {response}");
        }

        var colon = response.IndexOf(':', key + 5);
        var length = int.Parse(response.AsSpan(key + 5, colon - key - 5), CultureInfo.InvariantCulture);
        return response.Substring(colon + 1, length);
    }

    private string Command(string body) =>
        TryCommand(body, out var response) ? response : throw new TimeoutException($"rtpengine did not answer {body[..Math.Min(40, body.Length)]}");

    private bool TryCommand(string body, out string response)
    {
        var cookie = $"c{Interlocked.Increment(ref _cookie)}";
        _control.SendTo(Encoding.UTF8.GetBytes($"{cookie} {body}"), _ng);
        var buffer = new byte[65536];
        try
        {
            while (true)
            {
                var length = _control.Receive(buffer);
                var text = Encoding.UTF8.GetString(buffer, 0, length);
                if (text.StartsWith(cookie + " ", StringComparison.Ordinal))
                {
                    response = text[(cookie.Length + 1)..];
                    return true;
                }
            }
        }
        catch (SocketException)
        {
            response = "";
            return false;
        }
    }
}
