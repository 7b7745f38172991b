using Trunk.Policy.Balances;

namespace Trunk.Policy.Tests.Balances;

/// <summary>Given the balance's past events, when a command arrives, then these events (pure functions, no database).</summary>
public sealed class BalanceDeciderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid AccountId = Guid.NewGuid();
    private static readonly Guid TransferId = Guid.NewGuid();
    private static readonly Guid CallId = Guid.NewGuid();

    private static Balance Given(params object[] facts) => BalanceDecider.Fold(AccountId, facts);

    /// <summary>The balance as the ledger shows it for a settled transfer: its settlement among the charges.</summary>
    private static Balance Settled(Balance balance, CallCharged charged) =>
        balance with { Charges = balance.Charges.SetItem(charged.TransferId, charged.Amount) };

    private static BalanceToppedUp ToppedUp(decimal amount, string reference = "r1") => new(AccountId, amount, reference, Now);

    private static FundsReserved Reserved(decimal amount, decimal price = 0.10m, int minutes = 10) =>
        new(AccountId, TransferId, CallId, amount, price, minutes, Now);

    [Fact]
    public void When_topping_up_Should_record_the_amount()
    {
        var events = BalanceDecider.Handle(Given(), new TopUp(AccountId, 5m, "r1"), Now);

        Assert.Equal([ToppedUp(5m)], events);
    }

    [Fact]
    public void When_the_same_top_up_reference_comes_again_Should_record_nothing()
    {
        Assert.Empty(BalanceDecider.Handle(Given(ToppedUp(5m)), new TopUp(AccountId, 5m, "r1"), Now));
    }

    [Fact]
    public void When_topping_up_a_non_positive_amount_Should_refuse()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BalanceDecider.Handle(Given(), new TopUp(AccountId, 0m, "r1"), Now));
    }

    [Fact]
    public void When_the_balance_covers_minutes_times_rate_Should_reserve_it()
    {
        var decision = BalanceDecider.Handle(Given(ToppedUp(1m)), new Reserve(AccountId, TransferId, CallId, 0.10m, 10), Now);

        Assert.True(decision.Covered);
        Assert.Equal([Reserved(1.00m)], decision.Events);
        Assert.Equal(0m, Given(ToppedUp(1m), Reserved(1m)).Available);
    }

    [Fact]
    public void When_the_balance_is_one_cent_short_Should_refuse_with_required_and_available()
    {
        var decision = BalanceDecider.Handle(Given(ToppedUp(0.99m)), new Reserve(AccountId, TransferId, CallId, 0.10m, 10), Now);

        Assert.False(decision.Covered);
        Assert.Empty(decision.Events);
        Assert.Equal(1.00m, decision.Amount);
        Assert.Equal(0.99m, decision.Available);
    }

    [Fact]
    public void When_the_same_transfer_reserves_again_Should_answer_the_first_reservation_and_record_nothing()
    {
        var decision = BalanceDecider.Handle(Given(ToppedUp(1m), Reserved(1m)), new Reserve(AccountId, TransferId, CallId, 0.10m, 10), Now);

        Assert.True(decision.Covered);
        Assert.Empty(decision.Events);
        Assert.Equal(1m, decision.Amount);
    }

    [Fact]
    public void When_a_call_ends_Should_charge_the_real_duration_per_second_and_release_the_rest()
    {
        var decision = BalanceDecider.Handle(
            Given(ToppedUp(2m), Reserved(1m)), new Charge(AccountId, TransferId, CallId, TimeSpan.FromSeconds(90)), Now);

        Assert.Equal(
            [
                new CallCharged(AccountId, TransferId, CallId, 0.15m, TimeSpan.FromSeconds(90), Now),
                new FundsReleased(AccountId, TransferId, CallId, 0.85m, Now),
            ],
            decision.Events);
        var after = Given([ToppedUp(2m), Reserved(1m), .. decision.Events]);
        Assert.Equal(1.85m, after.Available);
        Assert.Empty(after.Reservations);
    }

    [Fact]
    public void When_a_transfer_never_connected_Should_charge_nothing_and_release_everything()
    {
        var decision = BalanceDecider.Handle(Given(ToppedUp(1m), Reserved(1m)), new Charge(AccountId, TransferId, CallId, TimeSpan.Zero), Now);

        Assert.Equal(0m, decision.Charged);
        Assert.Equal(1m, decision.Released);
        Assert.Equal(1m, Given([ToppedUp(1m), Reserved(1m), .. decision.Events]).Available);
    }

    [Fact]
    public void When_the_call_outlasts_its_reservation_Should_charge_the_overrun_from_the_balance()
    {
        var decision = BalanceDecider.Handle(
            Given(ToppedUp(2m), Reserved(1m)), new Charge(AccountId, TransferId, CallId, TimeSpan.FromMinutes(12)), Now);

        Assert.Equal(1.20m, decision.Charged);
        Assert.Single(decision.Events);
        var after = Given([ToppedUp(2m), Reserved(1m), .. decision.Events]);
        Assert.Equal(0.80m, after.Available);
        Assert.Empty(after.Reservations);
    }

    [Fact]
    public void When_the_same_charge_comes_again_Should_answer_the_first_amount_and_record_nothing()
    {
        var charged = new CallCharged(AccountId, TransferId, CallId, 0.15m, TimeSpan.FromSeconds(90), Now);
        var decision = BalanceDecider.Handle(
            Settled(Given(ToppedUp(2m), Reserved(1m), charged), charged), new Charge(AccountId, TransferId, CallId, TimeSpan.FromSeconds(90)), Now);

        Assert.Empty(decision.Events);
        Assert.Equal(0.15m, decision.Charged);
    }

    [Fact]
    public void When_a_charge_has_no_reservation_Should_charge_nothing()
    {
        var decision = BalanceDecider.Handle(Given(ToppedUp(2m)), new Charge(AccountId, TransferId, CallId, TimeSpan.FromMinutes(1)), Now);

        Assert.Empty(decision.Events);
        Assert.Equal(0m, decision.Charged);
    }

    [Fact]
    public void When_a_settled_transfer_asks_to_reserve_again_Should_not_hold_money_twice()
    {
        var charged = new CallCharged(AccountId, TransferId, CallId, 0.15m, TimeSpan.FromSeconds(90), Now);
        var decision = BalanceDecider.Handle(
            Settled(Given(ToppedUp(2m), Reserved(1m), charged), charged), new Reserve(AccountId, TransferId, CallId, 0.10m, 10), Now);

        Assert.Empty(decision.Events);
    }
}
