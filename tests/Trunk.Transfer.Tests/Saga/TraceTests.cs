using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Trunk.Contracts.Transfers;
using Trunk.ServiceDefaults.Telemetry;

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

    /// <summary>An operator sees how long the saga's messages wait in its outbox (<c>trunk_transfer_outbox_wait_seconds</c>).</summary>
    [Fact]
    public async Task When_the_outbox_sends_a_command_Should_record_how_long_it_waited_by_message_type()
    {
        var waits = new ConcurrentQueue<(string? Type, double Seconds)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == TrunkMetrics.OutboxWait.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "messaging.message_type")
                {
                    waits.Enqueue((tag.Value as string, value));
                }
            }
        });
        listener.Start();
        var transfer = new TransferScenario(fixture.Policy, fixture.Signaling, () => fixture.Host.Bus);

        await transfer.DialledAsync();

        Assert.Contains(waits, w => w.Type == nameof(DialTarget) && w.Seconds is >= 0 and < 30);
    }
}
