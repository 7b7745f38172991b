using Marten;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Contracts.Policy;
using Trunk.Contracts.Transfers;
using Trunk.Transfer.Outbox;
using Trunk.Transfer.Saga;

namespace Trunk.Transfer.Tests.Saga;

/// <summary>
/// ARCHITECTURE.md's REFER and NOTIFY tables, row by row, with the saga on the real RabbitMQ and PostgreSQL: the test
/// plays Policy (answering CheckTransfer and ReserveFunds) and Signaling (the queue the commands are sent to).
/// </summary>
[Collection(TransferHostCollection.Name)]
public sealed class TransferStateMachineTests(TransferHostFixture fixture)
{
    private TransferScenario NewTransfer() => new(fixture.Policy, fixture.Signaling, () => fixture.Host.Bus);

    [Fact]
    public async Task When_policy_denies_the_transfer_Should_answer_the_REFER_403()
    {
        var transfer = NewTransfer();
        await transfer.StartAsync(PolicyAnswer.Deny);

        var answer = await transfer.ExpectAsync<AnswerRefer>();
        Assert.Equal(403, answer.SipCode);
        var state = await LoadAsync(transfer.TransferId, "Final");
        Assert.Equal(403, state.OutcomeCode);
        await AssertPublishedAsync<TransferPolicyDenied>(transfer);
        Assert.DoesNotContain(transfer.Commands, command => command is SendReferNotify or DialTarget);
    }

    [Fact]
    public async Task When_policy_allows_the_transfer_Should_answer_202_then_notify_100_Trying()
    {
        var transfer = NewTransfer();
        await transfer.StartAsync(PolicyAnswer.Allow, FundsAnswer.Silent);

        await transfer.ExpectNotifyAsync(100, final: false);
        var commands = transfer.Commands;
        Assert.Equal(202, Assert.IsType<AnswerRefer>(commands[0]).SipCode);
        Assert.Equal(100, Assert.IsType<SendReferNotify>(commands[1]).SipCode);
        await AssertPublishedAsync<TransferAccepted>(transfer);
    }

    [Fact]
    public async Task When_Signaling_accepted_the_REFER_from_the_accounts_rules_Should_notify_100_and_dial_without_asking_policy()
    {
        var transfer = NewTransfer();
        await transfer.StartDecidedAsync(new ReferDecision(202, "Accepted", TimeSpan.FromSeconds(1)));

        var dial = await transfer.ExpectAsync<DialTarget>();
        Assert.Equal(TimeSpan.FromSeconds(1), dial.RingTimeout);
        Assert.Equal(100, Assert.IsType<SendReferNotify>(transfer.Commands[0]).SipCode);
        Assert.DoesNotContain(transfer.Commands, command => command is AnswerRefer);
        await AssertPublishedAsync<TransferAccepted>(transfer);
        await LoadAsync(transfer.TransferId, "Dialling");
    }

    /// <summary>Signaling publishes ReserveFunds right after the ReferReceived of its 202: the saga waits for Policy's published answer.</summary>
    [Fact]
    public async Task When_Signaling_asked_for_the_funds_at_the_202_Should_dial_on_policys_answer_without_asking_again()
    {
        var transfer = NewTransfer();
        await transfer.StartDecidedAsync(new ReferDecision(202, "Accepted", TimeSpan.FromSeconds(1), FundsRequested: true));
        await transfer.PublishAsync(new ReserveFunds(
            transfer.CallId, TransferScenario.Now, transfer.TransferId, transfer.AccountId, transfer.Refer.TargetNumber, 10));

        var dial = await transfer.ExpectAsync<DialTarget>();

        Assert.Equal(transfer.Refer.CallerNumber, dial.CallerNumber);
        Assert.Equal(100, Assert.IsType<SendReferNotify>(transfer.Commands[0]).SipCode);
        Assert.Equal(1, fixture.Policy.Reservations(transfer.TransferId));
        await AssertPublishedAsync<TransferAccepted>(transfer);
        await LoadAsync(transfer.TransferId, "Dialling");
    }

    /// <summary>Signaling's request was lost (or Policy is away): the saga's deadline still ends the transfer.</summary>
    [Fact]
    public async Task When_Signaling_asked_for_the_funds_and_no_answer_comes_Should_notify_503_at_the_policy_deadline()
    {
        var transfer = NewTransfer();
        await transfer.StartDecidedAsync(new ReferDecision(202, "Accepted", TimeSpan.FromSeconds(1), FundsRequested: true));

        await transfer.ExpectNotifyAsync(503, final: true);

        Assert.Equal(0, fixture.Policy.Reservations(transfer.TransferId));
        Assert.Equal(503, (await LoadAsync(transfer.TransferId, "Failed")).OutcomeCode);
    }

    [Fact]
    public async Task When_Signaling_denied_the_REFER_from_the_accounts_rules_Should_record_the_denial_and_command_nothing()
    {
        var transfer = NewTransfer();
        await transfer.StartDecidedAsync(new ReferDecision(403, "no geo permission for GB", TimeSpan.FromSeconds(1)));

        var state = await LoadAsync(transfer.TransferId, "Final");
        Assert.Equal(403, state.OutcomeCode);
        Assert.Equal("no geo permission for GB", state.OutcomeReason);
        await AssertPublishedAsync<TransferPolicyDenied>(transfer);
        Assert.Empty(transfer.Commands);
    }

    [Fact]
    public async Task When_the_balance_is_insufficient_Should_notify_402_and_keep_the_caller()
    {
        var transfer = NewTransfer();
        await transfer.StartAsync(PolicyAnswer.Allow, FundsAnswer.Insufficient);

        await transfer.ExpectNotifyAsync(402, final: true);
        var state = await LoadAsync(transfer.TransferId, "Failed");
        Assert.Equal(402, state.OutcomeCode);
        Assert.DoesNotContain(transfer.Commands, command => command is DialTarget or HangUpLeg);
    }

    [Fact]
    public async Task When_the_target_is_dialled_Should_carry_the_callers_number_and_Referred_By()
    {
        var transfer = NewTransfer();
        var dial = await transfer.DialledAsync();

        Assert.Equal("+15551230002", dial.TargetNumber);
        Assert.Equal("+15551230001", dial.CallerNumber);
        Assert.Equal("<sip:agent@pbx.example>", dial.ReferredBy);
        Assert.Equal(TransferHost.RingTimeout, dial.RingTimeout);
    }

    [Fact]
    public async Task When_the_trunks_ring_timeout_is_shorter_than_the_services_Should_cancel_the_target_at_the_trunks()
    {
        var transfer = NewTransfer();
        var trunkRingTimeout = TimeSpan.FromMilliseconds(500);

        var dial = await transfer.DialledAsync(trunkRingTimeout);

        Assert.Equal(trunkRingTimeout, dial.RingTimeout);
        var cancel = await transfer.ExpectAsync<CancelTarget>();
        await transfer.ExpectNotifyAsync(480, final: true);
        Assert.InRange(cancel.At - dial.At, trunkRingTimeout, TransferHost.RingTimeout);
    }

    [Fact]
    public async Task When_the_trunks_ring_timeout_is_longer_than_the_services_Should_ring_no_longer_than_the_services()
    {
        var transfer = NewTransfer();

        var dial = await transfer.DialledAsync(TimeSpan.FromMinutes(5));

        Assert.Equal(TransferHost.RingTimeout, dial.RingTimeout);
    }

    [Theory]
    [InlineData(180, "Ringing")]
    [InlineData(183, "Session Progress")]
    public async Task When_the_target_rings_Should_notify_180_or_183(int sipCode, string reasonPhrase)
    {
        var transfer = NewTransfer();
        await transfer.DialledAsync();

        await transfer.PublishAsync(new TargetRinging(transfer.CallId, TransferScenario.Now, "signaling-test", transfer.TransferId, sipCode, sipCode == 183));

        var notify = await transfer.ExpectNotifyAsync(sipCode, final: false);
        Assert.Equal(reasonPhrase, notify.ReasonPhrase);
    }

    [Fact]
    public async Task When_the_target_answers_Should_bridge_notify_200_and_hang_up_the_endpoint()
    {
        var transfer = NewTransfer();
        await transfer.DialledAsync();
        await transfer.PublishAsync(new TargetRinging(transfer.CallId, TransferScenario.Now, "signaling-test", transfer.TransferId, 180, false));
        await transfer.PublishAsync(new TargetAnswered(transfer.CallId, TransferScenario.Now, "signaling-test", transfer.TransferId));

        await transfer.ExpectAsync<BridgeLegs>();
        await transfer.PublishAsync(new CallBridged(transfer.CallId, TransferScenario.Now, "signaling-test", transfer.TransferId));

        await transfer.ExpectNotifyAsync(200, final: true);
        var hangUp = await transfer.ExpectAsync<HangUpLeg>();
        Assert.Equal(LegSide.Endpoint, hangUp.Leg);
        await LoadAsync(transfer.TransferId, "Completed");
        await AssertPublishedAsync<TransferCompleted>(transfer);
        await Task.Delay(TransferHost.RingTimeout + TimeSpan.FromMilliseconds(500));
        Assert.DoesNotContain(transfer.Commands, command => command is CancelTarget);
    }

    [Fact]
    public async Task When_the_call_ends_after_the_bridge_Should_charge_the_call_and_finish()
    {
        var transfer = await BridgedAsync();

        await transfer.PublishAsync(new CallEnded(transfer.CallId, TransferScenario.Now.AddMinutes(2), "signaling-test", TimeSpan.FromMinutes(3), "caller-bye", 200, 16));

        await LoadAsync(transfer.TransferId, "Final");
        await AssertPublishedAsync<Trunk.Contracts.Policy.ChargeCall>(transfer);

        // The maximum duration was cancelled with the call's end: nothing hangs up the caller later or charges again.
        await Task.Delay(TransferHost.MaxCallDuration + TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(transfer.Commands, command => command is HangUpLeg { Leg: LegSide.Caller });
        Assert.Single(fixture.Signaling.PublishedFor(transfer.CallId).OfType<Trunk.Contracts.Policy.ChargeCall>());
    }

    [Fact]
    public async Task When_the_bridged_call_does_not_end_within_the_maximum_duration_Should_hang_up_the_caller_charge_it_and_finish()
    {
        var transfer = await BridgedAsync();

        var hangUp = await transfer.ExpectAsync<HangUpLeg>(h => h.Leg == LegSide.Caller, timeout: TransferHost.MaxCallDuration * 4);

        Assert.Equal("Maximum call duration reached", hangUp.Reason);
        await LoadAsync(transfer.TransferId, "Final");
        await AssertPublishedAsync<Trunk.Contracts.Policy.ChargeCall>(transfer);
        var charge = Assert.Single(fixture.Signaling.PublishedFor(transfer.CallId).OfType<Trunk.Contracts.Policy.ChargeCall>());
        Assert.True(charge.Duration >= TransferHost.MaxCallDuration - TimeSpan.FromSeconds(1), $"Charged {charge.Duration}, not the bridged time up to the maximum.");
    }

    [Fact]
    public async Task When_the_bridge_is_never_confirmed_Should_hang_up_the_caller_fail_the_transfer_and_release_the_funds()
    {
        var transfer = NewTransfer();
        await transfer.DialledAsync();
        await transfer.PublishAsync(new TargetAnswered(transfer.CallId, TransferScenario.Now, "signaling-test", transfer.TransferId));
        await transfer.ExpectAsync<BridgeLegs>();

        await transfer.ExpectAsync<HangUpLeg>(h => h.Leg == LegSide.Caller, timeout: TransferHost.MaxCallDuration * 4);

        var failed = await LoadAsync(transfer.TransferId, "Failed");
        Assert.Equal(500, failed.OutcomeCode);
        await AssertPublishedAsync<TransferFailed>(transfer);
        var release = Assert.Single(fixture.Signaling.PublishedFor(transfer.CallId).OfType<Trunk.Contracts.Policy.ChargeCall>());
        Assert.Equal(TimeSpan.Zero, release.Duration);
    }

    [Theory]
    [InlineData(486, "Busy Here")]
    [InlineData(603, "Decline")]
    [InlineData(404, "Not Found")]
    [InlineData(503, "Service Unavailable")]
    public async Task When_the_target_fails_Should_notify_its_final_code(int sipCode, string reason)
    {
        var transfer = NewTransfer();
        await transfer.DialledAsync();

        await transfer.PublishAsync(new TargetFailed(transfer.CallId, TransferScenario.Now, "signaling-test", transfer.TransferId, sipCode, reason));

        var notify = await transfer.ExpectNotifyAsync(sipCode, final: true);
        Assert.Equal(reason, notify.ReasonPhrase);
        Assert.Equal(sipCode, (await LoadAsync(transfer.TransferId, "Failed")).OutcomeCode);
        Assert.DoesNotContain(transfer.Commands, command => command is HangUpLeg);
    }

    [Fact]
    public async Task When_the_target_does_not_answer_before_the_ring_timeout_Should_cancel_it_and_notify_480()
    {
        var transfer = NewTransfer();
        await transfer.DialledAsync();
        await transfer.PublishAsync(new TargetRinging(transfer.CallId, TransferScenario.Now, "signaling-test", transfer.TransferId, 180, false));

        await transfer.ExpectAsync<CancelTarget>(timeout: TransferHost.RingTimeout * 4);
        await transfer.ExpectNotifyAsync(480, final: true);
        Assert.Equal(480, (await LoadAsync(transfer.TransferId, "Failed")).OutcomeCode);
    }

    [Fact]
    public async Task When_the_caller_hangs_up_while_the_target_is_dialled_Should_cancel_the_target_and_fail_the_transfer()
    {
        var transfer = NewTransfer();
        await transfer.DialledAsync();

        // What Signaling publishes when the caller's BYE ends the call: the leg's hang-up, then the call's end.
        await transfer.PublishAsync(new LegHungUp(transfer.CallId, TransferScenario.Now, "signaling-test", LegSide.Caller, LegSide.Caller, 200, null));
        await transfer.PublishAsync(new CallEnded(transfer.CallId, TransferScenario.Now, "signaling-test", TimeSpan.FromSeconds(20), "caller_hangup", 200, 16));

        await transfer.ExpectAsync<CancelTarget>();
        Assert.Equal(487, (await LoadAsync(transfer.TransferId, "Failed")).OutcomeCode);
        await AssertPublishedAsync<TransferFailed>(transfer);
    }

    [Fact]
    public async Task When_the_endpoint_hangs_up_after_the_202_Should_not_cancel_the_transfer()
    {
        var transfer = NewTransfer();
        await transfer.DialledAsync();

        await transfer.PublishAsync(new LegHungUp(transfer.CallId, TransferScenario.Now, "signaling-test", LegSide.Endpoint, LegSide.Endpoint, 200, null));
        await transfer.PublishAsync(new TargetRinging(transfer.CallId, TransferScenario.Now, "signaling-test", transfer.TransferId, 180, false));

        await transfer.ExpectNotifyAsync(180, final: false);
        Assert.DoesNotContain(transfer.Commands, command => command is CancelTarget);
    }

    [Fact]
    public async Task When_no_policy_decision_comes_before_the_deadline_Should_answer_503_with_Retry_After()
    {
        var transfer = NewTransfer();
        await transfer.StartAsync(PolicyAnswer.Silent);

        var answer = await transfer.ExpectAsync<AnswerRefer>(timeout: TransferHost.PolicyDeadline * 4);
        Assert.Equal(503, answer.SipCode);
        Assert.NotNull(answer.RetryAfterSeconds);
        Assert.Equal(503, (await LoadAsync(transfer.TransferId, "Failed")).OutcomeCode);
        Assert.DoesNotContain(transfer.Commands, command => command is SendReferNotify);
    }

    [Fact]
    public async Task When_Signaling_answered_the_REFER_503_while_the_target_rings_Should_cancel_the_target_and_release_the_funds()
    {
        var transfer = NewTransfer();
        await transfer.DialledAsync();

        await transfer.PublishAsync(new ReferRejected(
            transfer.CallId, TransferScenario.Now, "signaling-test", 503, "No transfer decision in time", transfer.TransferId));

        await transfer.ExpectAsync<CancelTarget>();
        Assert.Equal(503, (await LoadAsync(transfer.TransferId, "Failed")).OutcomeCode);
        await AssertPublishedAsync<Trunk.Contracts.Policy.ChargeCall>(transfer);
    }

    [Fact]
    public async Task When_Signaling_answered_the_REFER_503_before_policy_Should_neither_accept_nor_dial_on_a_late_allow()
    {
        var transfer = NewTransfer();
        await transfer.StartAsync(PolicyAnswer.Silent);
        // Signaling gives up only after its decision timeout: long after the saga has the REFER.
        await LoadAsync(transfer.TransferId, "AwaitingPolicy");
        await transfer.PublishAsync(new ReferRejected(
            transfer.CallId, TransferScenario.Now, "signaling-test", 503, "No transfer decision in time", transfer.TransferId));
        await LoadAsync(transfer.TransferId, "Failed");

        await transfer.PublishAsync(new Trunk.Contracts.Policy.TransferAllowed(
            transfer.CallId, TransferScenario.Now, transfer.TransferId, "US", 0.01m, TransferHost.RingTimeout));
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.DoesNotContain(transfer.Commands, command => command is AnswerRefer or DialTarget or SendReferNotify);
    }

    [Fact]
    public async Task When_Signaling_rejects_another_REFER_of_the_call_Should_go_on_with_the_running_transfer()
    {
        var transfer = NewTransfer();
        await transfer.DialledAsync();

        await transfer.PublishAsync(new ReferRejected(transfer.CallId, TransferScenario.Now, "signaling-test", 491, "A transfer is already running"));
        await transfer.PublishAsync(new TargetRinging(transfer.CallId, TransferScenario.Now, "signaling-test", transfer.TransferId, 180, false));

        await transfer.ExpectNotifyAsync(180, final: false);
        await LoadAsync(transfer.TransferId, "Ringing");
    }

    [Fact]
    public async Task When_targets_ring_and_answer_at_once_Should_handle_each_calls_messages_in_order()
    {
        var transfers = Enumerable.Range(0, 8).Select(_ => NewTransfer()).ToList();
        await Task.WhenAll(transfers.Select(t => t.DialledAsync()));

        await Task.WhenAll(transfers.Select(async transfer =>
        {
            await transfer.PublishAsync(new TargetRinging(transfer.CallId, TransferScenario.Now, "signaling-test", transfer.TransferId, 180, false));
            await transfer.PublishAsync(new TargetAnswered(transfer.CallId, TransferScenario.Now, "signaling-test", transfer.TransferId));
        }));

        foreach (var transfer in transfers)
        {
            await transfer.ExpectAsync<BridgeLegs>();
            var commands = transfer.Commands.ToList();
            var ringing = commands.FindIndex(c => c is SendReferNotify { SipCode: 180 });
            Assert.InRange(ringing, 0, commands.FindIndex(c => c is BridgeLegs));
        }
    }

    [Fact]
    public async Task When_a_message_is_redelivered_Should_have_one_effect()
    {
        var transfer = NewTransfer();
        await transfer.DialledAsync();
        var ringing = new TargetRinging(transfer.CallId, TransferScenario.Now, "signaling-test", transfer.TransferId, 180, false);
        var messageId = Guid.NewGuid();

        await transfer.PublishAsync(ringing, messageId);
        await transfer.ExpectNotifyAsync(180, final: false);
        await transfer.PublishAsync(ringing, messageId);
        await transfer.PublishAsync(ringing with { SipCode = 183 });
        await transfer.ExpectNotifyAsync(183, final: false);

        Assert.Single(transfer.Commands, command => command is SendReferNotify { SipCode: 180 });
    }

    [Fact]
    public async Task When_two_writers_update_the_same_transfer_Should_reject_the_stale_write()
    {
        var transfer = NewTransfer();
        await transfer.DialledAsync();
        var store = fixture.Host.Store;
        await using var first = store.LightweightSession();
        await using var second = store.LightweightSession();
        var mine = (await first.LoadAsync<TransferState>(transfer.TransferId))!;
        var theirs = (await second.LoadAsync<TransferState>(transfer.TransferId))!;

        mine.OutcomeReason = "first writer";
        first.Store(mine);
        await first.SaveChangesAsync();
        theirs.OutcomeReason = "stale writer";
        second.Store(theirs);

        await Assert.ThrowsAnyAsync<Exception>(() => second.SaveChangesAsync());
        await using var check = store.QuerySession();
        Assert.Equal("first writer", (await check.LoadAsync<TransferState>(transfer.TransferId))!.OutcomeReason);
    }

    /// <summary>A transfer whose target answered and whose legs Signaling bridged: Completed, waiting for the call's end.</summary>
    private async Task<TransferScenario> BridgedAsync()
    {
        var transfer = NewTransfer();
        await transfer.DialledAsync();
        await transfer.PublishAsync(new TargetAnswered(transfer.CallId, TransferScenario.Now, "signaling-test", transfer.TransferId));
        await transfer.ExpectAsync<BridgeLegs>();
        await transfer.PublishAsync(new CallBridged(transfer.CallId, TransferScenario.Now, "signaling-test", transfer.TransferId));
        await LoadAsync(transfer.TransferId, "Completed");
        return transfer;
    }

    private async Task<TransferState> LoadAsync(Guid transferId, string expectedState)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        TransferState? state = null;
        while (DateTime.UtcNow < deadline)
        {
            await using var session = fixture.Host.Store.QuerySession();
            state = await session.LoadAsync<TransferState>(transferId);
            if (state?.CurrentState == expectedState)
            {
                return state;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"Transfer {transferId} is in {state?.CurrentState ?? "no state"}, not {expectedState}.");
    }

    /// <summary>Events go out through the outbox: a subscriber receives the event and no row of it is left to send.</summary>
    private async Task AssertPublishedAsync<T>(TransferScenario transfer)
        where T : ICallMessage
    {
        var typeName = typeof(T).FullName!;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            await using var session = fixture.Host.Store.QuerySession();
            var rows = await session.Query<OutboxMessage>().Where(m => m.TransferId == transfer.TransferId).ToListAsync();
            if (fixture.Signaling.PublishedFor(transfer.CallId).OfType<T>().Any()
                && !rows.Any(m => m.MessageType.StartsWith(typeName, StringComparison.Ordinal)))
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"No {typeof(T).Name} was published for transfer {transfer.TransferId}.");
    }
}
