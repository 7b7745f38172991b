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
}
