using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Contracts.Transfers;

namespace Trunk.Transfer.Tests.Saga;

/// <summary>Every command the Signaling instance that a test plays received, in order, per call, with the trace it came in.</summary>
public sealed class SignalingLog
{
    private readonly ConcurrentQueue<ICallMessage> _commands = new();
    private readonly ConcurrentDictionary<ICallMessage, string?> _traces = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentQueue<ICallMessage> _published = new();

    public void AddPublished(ICallMessage message) => _published.Enqueue(message);

    /// <summary>What the saga published for the call (not its commands).</summary>
    public IReadOnlyList<ICallMessage> PublishedFor(Guid callId) => [.. _published.Where(message => message.CallId == callId)];

    public void Add(ICallMessage command, string? traceId)
    {
        _traces[command] = traceId;
        _commands.Enqueue(command);
    }

    /// <summary>The W3C trace id the consumer of <paramref name="command"/> ran in.</summary>
    public string? TraceOf(ICallMessage command) => _traces.GetValueOrDefault(command);

    public IReadOnlyList<ICallMessage> For(Guid callId) => [.. _commands.Where(command => command.CallId == callId)];

    public async Task<T> WaitFor<T>(Guid callId, Func<T, bool>? match = null, TimeSpan? timeout = null)
        where T : class, ICallMessage
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            if (For(callId).OfType<T>().FirstOrDefault(command => match?.Invoke(command) ?? true) is { } found)
            {
                return found;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"No {typeof(T).Name} for call {callId}; received: {string.Join(", ", For(callId))}");
    }
}

/// <summary>The Signaling instance as a test plays it: a queue that receives the saga's commands.</summary>
public sealed class SignalingRecorder(SignalingLog log) :
    IConsumer<AnswerRefer>, IConsumer<SendReferNotify>, IConsumer<DialTarget>, IConsumer<CancelTarget>, IConsumer<BridgeLegs>, IConsumer<HangUpLeg>
{
    public Task Consume(ConsumeContext<AnswerRefer> context) => Record(context.Message);

    public Task Consume(ConsumeContext<SendReferNotify> context) => Record(context.Message);

    public Task Consume(ConsumeContext<DialTarget> context) => Record(context.Message);

    public Task Consume(ConsumeContext<CancelTarget> context) => Record(context.Message);

    public Task Consume(ConsumeContext<BridgeLegs> context) => Record(context.Message);

    public Task Consume(ConsumeContext<HangUpLeg> context) => Record(context.Message);

    private Task Record(ICallMessage command)
    {
        log.Add(command, Activity.Current?.TraceId.ToHexString());
        return Task.CompletedTask;
    }
}

/// <summary>The events and requests the saga published, as any subscriber sees them (this host's own temporary queue).</summary>
public sealed class PublishedRecorder(SignalingLog log) :
    IConsumer<TransferAccepted>, IConsumer<TransferPolicyDenied>, IConsumer<TransferFailed>, IConsumer<TransferCompleted>,
    IConsumer<Trunk.Contracts.Policy.ChargeCall>
{
    public Task Consume(ConsumeContext<TransferAccepted> context) => Record(context.Message);

    public Task Consume(ConsumeContext<TransferPolicyDenied> context) => Record(context.Message);

    public Task Consume(ConsumeContext<TransferFailed> context) => Record(context.Message);

    public Task Consume(ConsumeContext<TransferCompleted> context) => Record(context.Message);

    public Task Consume(ConsumeContext<Trunk.Contracts.Policy.ChargeCall> context) => Record(context.Message);

    private Task Record(ICallMessage message)
    {
        log.AddPublished(message);
        return Task.CompletedTask;
    }
}
