using System.Diagnostics.Metrics;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Trunk.Policy.Balances;
using Trunk.Policy.Tests.Support;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Telemetry;

namespace Trunk.Policy.Tests.Balances;

/// <summary>
/// A reservation whose charge never came (parked in an error queue, a saga gone) does not hold the customer's money for
/// ever: past <c>Policy:ReservationLifetime</c> it goes back to the balance, and a charge that still comes is taken from
/// the balance at the reserved rate. On the real PostgreSQL, through the ledger Policy's consumers use.
/// </summary>
public sealed class ReservationExpiryTests(PolicyHost host) : IClassFixture<PolicyHost>
{
    private BalanceLedger Ledger => host.Services.GetRequiredService<BalanceLedger>();

    private ReservationExpirer Expirer => host.Services.GetRequiredService<ReservationExpirer>();

    [Fact]
    public async Task When_a_reservation_is_older_than_the_lifetime_Should_return_its_money_and_keep_the_younger_one()
    {
        var account = await host.CreateAccountAsync();
        await host.TopUpAsync(account.Id, 10m);
        var old = await ReserveAsync(account.Id, 0.50m, 10);
        var cutoff = (await BalanceAsync(account.Id)).Reservations[old].ReservedAt!.Value.AddMilliseconds(1);
        await Task.Delay(20);
        var young = await ReserveAsync(account.Id, 0.20m, 10);

        var counted = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == host.Services.GetRequiredService<ServiceIdentity>().Meter && instrument.Name == TrunkMetrics.ExpiredReservations.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref counted, value));
        listener.Start();

        var expired = await Expirer.ExpireAsync(cutoff, CancellationToken.None);

        var mine = Assert.Single(expired, e => e.AccountId == account.Id);
        Assert.Equal((old, 5.00m), (mine.TransferId, mine.Amount));
        var balance = await BalanceAsync(account.Id);
        Assert.Equal(8.00m, balance.Available);
        Assert.Equal([young], balance.Reservations.Keys);
        Assert.Equal(0.50m, balance.Expired[old]);
        await using var session = host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Single(await session.Events.FetchStreamAsync(account.Id), e => e.Data is ReservationExpired);
        Assert.Equal(expired.Count, Interlocked.Read(ref counted));

        Assert.DoesNotContain(await Expirer.ExpireAsync(cutoff, CancellationToken.None), e => e.AccountId == account.Id);
        Assert.Equal(8.00m, (await BalanceAsync(account.Id)).Available);
    }

    [Fact]
    public async Task When_the_charge_comes_after_its_reservation_expired_Should_take_the_cost_from_the_balance_once()
    {
        var account = await host.CreateAccountAsync();
        await host.TopUpAsync(account.Id, 10m);
        var transfer = await ReserveAsync(account.Id, 0.50m, 10);
        await Expirer.ExpireAsync(DateTimeOffset.UtcNow.AddSeconds(1), CancellationToken.None);
        Assert.Equal(10m, (await BalanceAsync(account.Id)).Available);

        var charged = await ChargeAsync(account.Id, transfer, TimeSpan.FromSeconds(150));
        var again = await ChargeAsync(account.Id, transfer, TimeSpan.FromSeconds(150));

        Assert.Equal((1.25m, 0m), (charged.Charged, charged.Released));
        Assert.Equal(1.25m, again.Charged);
        var balance = await BalanceAsync(account.Id);
        Assert.Equal(8.75m, balance.Available);
        Assert.Empty(balance.Expired);
    }

    [Theory]
    [InlineData("00:59:59", false)]
    [InlineData("01:00:00", true)]
    [InlineData("90.00:00:00", true)]
    [InlineData("90.00:00:01", false)]
    public void When_the_lifetime_is_set_Should_accept_one_hour_to_90_days(string lifetime, bool valid)
    {
        var result = new PolicySettingsValidator().Validate(null, new PolicySettings { ReservationLifetime = TimeSpan.Parse(lifetime, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.StartsWith("Policy:ReservationLifetime must be between", Assert.Single(result.Failures!), StringComparison.Ordinal);
        }
    }

    private Task<Balance> BalanceAsync(Guid accountId) => Ledger.GetAsync(accountId, CancellationToken.None);

    private async Task<Guid> ReserveAsync(Guid accountId, decimal pricePerMinute, int minutes)
    {
        var transfer = Guid.NewGuid();
        var decision = await Ledger.DecideAsync(
            accountId,
            transfer,
            (state, now) =>
            {
                var d = BalanceDecider.Handle(state, new Reserve(accountId, transfer, Guid.NewGuid(), pricePerMinute, minutes), now);
                return (d.Events, d);
            },
            CancellationToken.None);
        Assert.True(decision.Covered);
        return transfer;
    }

    private Task<ChargeDecision> ChargeAsync(Guid accountId, Guid transfer, TimeSpan duration) =>
        Ledger.DecideAsync(
            accountId,
            transfer,
            (state, now) =>
            {
                var d = BalanceDecider.Handle(state, new Charge(accountId, transfer, Guid.NewGuid(), duration), now);
                return (d.Events, d);
            },
            CancellationToken.None);
}
