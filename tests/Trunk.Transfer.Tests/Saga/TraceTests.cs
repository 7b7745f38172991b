using System.Diagnostics;
using Trunk.Contracts.Transfers;

namespace Trunk.Transfer.Tests.Saga;

/// <summary>
/// What the saga sends leaves later from its outbox, yet stays in the call's trace: every command and request it sends
/// carries the W3C context of the message that caused it.
/// </summary>
[Collection(TransferHostCollection.Name)]
public sealed class TraceTests(TransferHostFixture fixture)
{
    [Fact]
    public async Task When_a_REFER_arrives_inside_a_trace_Should_send_every_command_of_the_transfer_in_that_trace()
    {
        var transfer = new TransferScenario(fixture.Policy, fixture.Signaling, () => fixture.Host.Bus);
        string traceId;
        using (var call = new Activity("sip REFER").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            call.ActivityTraceFlags = ActivityTraceFlags.Recorded;
            traceId = call.TraceId.ToHexString();
            await transfer.StartAsync(PolicyAnswer.Allow);
        }

        await transfer.ExpectAsync<DialTarget>();

        var commands = transfer.Commands;
        Assert.Equal(3, commands.Count);
        Assert.All(commands, command => Assert.Equal(traceId, fixture.Signaling.TraceOf(command)));
    }
}
