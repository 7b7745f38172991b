using MassTransit;
using Trunk.Contracts;
using Trunk.Contracts.Transfers;

namespace Trunk.Transfer.Tests.Saga;

/// <summary>One in-process Transfer host for the saga specifications.</summary>
public sealed class TransferHostFixture : IAsyncLifetime
{
    private TransferHost? _host;

    public PolicyScript Policy { get; } = new();

    public SignalingLog Signaling { get; } = new();

    public TransferHost Host => _host ?? throw new InvalidOperationException("The host has not started.");

    public async Task InitializeAsync() => _host = await TransferHost.StartAsync(Policy, Signaling);

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TransferHostCollection : ICollectionFixture<TransferHostFixture>
{
    public const string Name = "Transfer host";
}

/// <summary>One transfer on one call, as the Signaling instance that the test plays sees it.</summary>
public sealed class TransferScenario(PolicyScript policy, SignalingLog signaling, Func<IBus> bus)
{
    public Guid CallId { get; } = NewId.NextGuid();

    public Guid TransferId { get; } = NewId.NextGuid();

    public Guid AccountId { get; } = NewId.NextGuid();

    public static DateTimeOffset Now => DateTimeOffset.UtcNow;

    public ReferReceived Refer => new(
        CallId, Now, "signaling-test", TransferId, TransferHost.SignalingQueue, AccountId, NewId.NextGuid(),
        "+15551230001", "+15551230002", "trunk.example", "<sip:agent@pbx.example>", 2, NotifyRequested: true);

    public async Task StartAsync(PolicyAnswer check, FundsAnswer funds = FundsAnswer.Reserve, TimeSpan? trunkRingTimeout = null)
    {
        policy.For(TransferId, check, funds, trunkRingTimeout);
        await PublishAsync(Refer);
    }

    /// <summary>
    /// A REFER Signaling already answered from the account's pushed rules. Policy is scripted to deny any CheckTransfer,
    /// so a saga that asked it anyway would answer the REFER 403.
    /// </summary>
    public async Task StartDecidedAsync(ReferDecision decision, FundsAnswer funds = FundsAnswer.Reserve)
    {
        policy.For(TransferId, PolicyAnswer.Deny, funds);
        await PublishAsync(Refer with { Decision = decision });
    }

    /// <summary>Allowed and funded: returns when the target is being dialled.</summary>
    public async Task<DialTarget> DialledAsync(TimeSpan? trunkRingTimeout = null)
    {
        await StartAsync(PolicyAnswer.Allow, trunkRingTimeout: trunkRingTimeout);
        return await ExpectAsync<DialTarget>();
    }

    /// <summary>
    /// Awaited here, so that the log context MassTransit sets for the publish stays in this call: it would otherwise stay
    /// with the test and be the one a host started after this one's end builds its bus with.
    /// </summary>
    public async Task PublishAsync<T>(T message, Guid? messageId = null)
        where T : class, ICallMessage =>
        await bus().Publish(message, context => context.MessageId = messageId ?? NewId.NextGuid());

    public Task<T> ExpectAsync<T>(Func<T, bool>? match = null, TimeSpan? timeout = null)
        where T : class, ICallMessage =>
        signaling.WaitFor(CallId, match, timeout);

    public Task<SendReferNotify> ExpectNotifyAsync(int sipCode, bool final) =>
        ExpectAsync<SendReferNotify>(notify => notify.SipCode == sipCode && notify.Final == final);

    public IReadOnlyList<ICallMessage> Commands => signaling.For(CallId);
}
