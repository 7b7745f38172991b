using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Trunk.Media.Relay;

/// <summary>
/// The relay's clock thread: every few milliseconds it sends the ringback packets that are due; every quarter second
/// it looks for bridged legs gone silent (no-audio alarm) and legs silent past the media timeout (released).
/// </summary>
internal sealed unsafe partial class RelayClock : IDisposable
{
    private const int TickMilliseconds = 5;
    private const int MaxCatchUpPackets = 5;

    private readonly RelayEngine _engine;
    private readonly ILogger _logger;
    private readonly long _noAudioTicks;
    private readonly long _timeoutTicks;
    private readonly long _sweepTicks = Stopwatch.Frequency / 4;
    private readonly Lock _gate = new();
    private readonly List<MediaLeg> _playing = [];
    private readonly Thread _thread;
    private MediaLeg[] _snapshot = [];
    private volatile bool _stopping;

    public RelayClock(RelayEngine engine, MediaSettings settings, ILogger logger)
    {
        _engine = engine;
        _logger = logger;
        _noAudioTicks = (long)(settings.NoAudioSeconds * Stopwatch.Frequency);
        _timeoutTicks = (long)(settings.MediaTimeoutSeconds * Stopwatch.Frequency);
        _thread = new Thread(Run) { IsBackground = true, Name = "media-clock", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    public void Play(MediaLeg leg)
    {
        lock (_gate)
        {
            if (!_playing.Contains(leg))
            {
                _playing.Add(leg);
                _snapshot = [.. _playing];
            }
        }
    }

    public void Forget(MediaLeg leg)
    {
        lock (_gate)
        {
            if (_playing.Remove(leg))
            {
                _snapshot = [.. _playing];
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(2));
    }

    private void Run()
    {
        var buffer = stackalloc byte[2048];
        var nextSweep = Stopwatch.GetTimestamp() + _sweepTicks;
        while (!_stopping)
        {
            Thread.Sleep(TickMilliseconds);
            var now = Stopwatch.GetTimestamp();
            try
            {
                PlayDue(buffer, now);
                if (now >= nextSweep)
                {
                    nextSweep = now + _sweepTicks;
                    Sweep(now);
                }
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                LogClockFailed(_logger, error);
            }
        }
    }

    private void PlayDue(byte* buffer, long now)
    {
        foreach (var leg in Volatile.Read(ref _snapshot))
        {
            var player = leg.Ringback;
            if (player is null || leg.Released)
            {
                Forget(leg);
                continue;
            }

            for (var sent = 0; player.NextDueTicks <= now && sent < MaxCatchUpPackets; sent++)
            {
                var length = player.WriteNext(new Span<byte>(buffer, 2048), leg.AudioPayloadType);
                if (leg.Remote is var destination and not 0 && !Native.SendTo(leg.RtpFd, buffer, length, destination))
                {
                    _engine.CountSendFailure();
                }
            }
        }
    }

    private void Sweep(long now)
    {
        foreach (var leg in _engine.ActiveLegs())
        {
            var silentSince = Math.Max(leg.LastPeerTicks, leg.Bridged ? leg.BridgedTicks : 0);
            if (leg.Bridged && !leg.NoAudioReported && now - silentSince >= _noAudioTicks)
            {
                leg.NoAudioReported = true;
                _engine.ReportNoAudio(leg, Stopwatch.GetElapsedTime(silentSince, now));
            }
            else if (leg.NoAudioReported && now - leg.LastPeerTicks < _noAudioTicks)
            {
                leg.NoAudioReported = false;
            }

            if (now - leg.LastPeerTicks >= _timeoutTicks)
            {
                _engine.Release(leg, "media timeout");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The media clock failed a tick")]
    private static partial void LogClockFailed(ILogger logger, Exception error);
}
