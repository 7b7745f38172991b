using Trunk.Contracts.Transfers;

namespace Trunk.Transfer.Tests.Saga;

/// <summary>Timeouts live in PostgreSQL, not in the process: a ring timeout scheduled before a restart fires after it.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task When_the_host_restarts_while_the_target_rings_Should_still_cancel_it_and_notify_480()
    {
        var policy = new PolicyScript();
        var signaling = new SignalingLog();
        TransferScenario transfer;
        await using (var before = await TransferHost.StartAsync(policy, signaling))
        {
            transfer = new TransferScenario(policy, signaling, () => before.Bus);
            await transfer.DialledAsync();
        }

        Assert.DoesNotContain(transfer.Commands, command => command is CancelTarget);
        await Task.Delay(TransferHost.RingTimeout);
        await using var after = await TransferHost.StartAsync(policy, signaling);

        await transfer.ExpectAsync<CancelTarget>(timeout: TransferHost.RingTimeout * 4);
        await transfer.ExpectNotifyAsync(480, final: true);
        Assert.Single(transfer.Commands, command => command is CancelTarget);
    }

    /// <summary>
    /// The saga's inbox is stored with its state: a message handled before a restart and delivered again after it (its
    /// acknowledgement was lost) changes nothing, though the state machine would act on it again (a second NOTIFY 180).
    /// </summary>
    [Fact]
    public async Task When_a_message_handled_before_a_restart_is_delivered_again_after_it_Should_change_nothing()
    {
        var policy = new PolicyScript();
        var signaling = new SignalingLog();
        var ringsLong = new Dictionary<string, string?> { ["Transfer:RingTimeout"] = "00:01:00" };
        TransferHost? host = null;
        var transfer = new TransferScenario(policy, signaling, () => host!.Bus);
        var ringing = new TargetRinging(transfer.CallId, TransferScenario.Now, "signaling-test", transfer.TransferId, 180, false);
        var messageId = Guid.NewGuid();
        await using (host = await TransferHost.StartAsync(policy, signaling, ringsLong))
        {
            await transfer.DialledAsync();
            await transfer.PublishAsync(ringing, messageId);
            await transfer.ExpectNotifyAsync(180, final: false);
        }

        await using (host = await TransferHost.StartAsync(policy, signaling, ringsLong))
        {
            await transfer.PublishAsync(ringing, messageId);
            await transfer.PublishAsync(ringing with { SipCode = 183 });
            await transfer.ExpectNotifyAsync(183, final: false);
        }

        Assert.Single(transfer.Commands, command => command is SendReferNotify { SipCode: 180 });
    }
}
