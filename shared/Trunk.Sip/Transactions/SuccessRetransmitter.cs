using System.Collections.Concurrent;
using Trunk.Sip.Messages;

namespace Trunk.Sip.Transactions;

/// <summary>
/// The UAS core's 2xx retransmission for INVITE (RFC 3261 §13.3.1.4, RFC 6026 §7.1): resend the 2xx
/// at T1, doubling up to T2, until the ACK arrives or 64*T1 pass.
/// </summary>
internal sealed class SuccessRetransmitter
{
    private readonly ConcurrentDictionary<(string CallId, long CSeq), Pending> _pending = new();
    private readonly TimeProvider _time;
    private readonly SipTimers _timers;

    public SuccessRetransmitter(TimeProvider time, SipTimers timers)
    {
        _time = time;
        _timers = timers;
    }

    public int Count => _pending.Count;

    /// <summary>Starts retransmitting <paramref name="response"/> through <paramref name="resend"/>.</summary>
    public void Start(SipResponse response, Action<SipResponse> resend, Action onNoAck)
    {
        if (response.CallId is not { } callId || response.CSeq is not { } cseq)
        {
            return;
        }

        var key = (callId, cseq.Number);
        var pending = new Pending(this, key, response, resend, onNoAck);
        if (_pending.TryAdd(key, pending))
        {
            pending.Arm(_timers.T1);
        }
    }

    /// <summary>The ACK for the 2xx arrived (same Call-ID and CSeq number, §13.3.1.4): stop.</summary>
    public bool Acknowledge(SipRequest ack)
    {
        if (ack.CallId is not { } callId || ack.CSeq is not { } cseq || !_pending.TryRemove((callId, cseq.Number), out var pending))
        {
            return false;
        }

        pending.Stop();
        return true;
    }

    private sealed class Pending(SuccessRetransmitter owner, (string, long) key, SipResponse response, Action<SipResponse> resend, Action onNoAck)
    {
        private readonly object _gate = new();
        private readonly DateTimeOffset _deadline = owner._time.GetUtcNow() + owner._timers.TransactionTimeout;
        private ITimer? _timer;
        private TimeSpan _interval;
        private bool _stopped;

        public void Arm(TimeSpan interval)
        {
            lock (_gate)
            {
                if (_stopped)
                {
                    return;
                }

                _interval = interval;
                _timer?.Dispose();
                _timer = TransactionTimer.Start(owner._time, _ => Fire(), interval);
            }
        }

        public void Stop()
        {
            lock (_gate)
            {
                _stopped = true;
                _timer?.Dispose();
            }
        }

        private void Fire()
        {
            if (owner._time.GetUtcNow() >= _deadline)
            {
                // §13.3.1.4: no ACK within 64*T1: the dialog is to be ended by the TU.
                if (owner._pending.TryRemove(new KeyValuePair<(string, long), Pending>(key, this)))
                {
                    Stop();
                    onNoAck();
                }

                return;
            }

            resend(response);
            Arm(owner._timers.NextCapped(_interval));
        }
    }
}
