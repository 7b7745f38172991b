using System.Net.Http.Json;
using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Messages = Trunk.Contracts.Policy;
using Trunk.Policy.Balances;
using Trunk.Policy.Tests.Support;

namespace Trunk.Policy.Tests.Balances;

/// <summary>Reservations racing for the same money on the real PostgreSQL: exactly the covered ones win, none is lost.</summary>
public sealed class BalanceRaceTests(PolicyHost host) : IClassFixture<PolicyHost>
{
    /// <summary>Two Policy instances (two ledgers on one database): the account's turns are per process, the stream's version guards both.</summary>
    [Fact]
    public async Task When_two_instances_reserve_the_last_cent_at_once_Should_let_exactly_one_win()
    {
        var account = await host.CreateAccountAsync();
        await host.TopUpAsync(account.Id, 0.01m);
        var store = host.Services.GetRequiredService<IDocumentStore>();
        BalanceLedger[] ledgers = [new(store, TimeProvider.System, NullLogger<BalanceLedger>.Instance), new(store, TimeProvider.System, NullLogger<BalanceLedger>.Instance)];

        var decisions = await Task.WhenAll(ledgers.Select(ledger => Task.Run(() => ReserveAsync(ledger, account.Id, 0.01m, 1))));

        Assert.Single(decisions, d => d.Covered);
        Assert.Equal(0m, (await ledgers[0].GetAsync(account.Id, CancellationToken.None)).Available);
    }

    [Fact]
    public async Task When_many_transfers_of_one_account_reserve_at_once_Should_reserve_each_once()
    {
        const int n = 40;
        var account = await host.CreateAccountAsync();
        await host.TopUpAsync(account.Id, 100m);
        var ledger = host.Services.GetRequiredService<BalanceLedger>();

        var decisions = await Task.WhenAll(Enumerable.Range(0, n).Select(_ => Task.Run(() => ReserveAsync(ledger, account.Id, 0.01m, 10))));

        Assert.All(decisions, d => Assert.True(d.Covered));
        var balance = await ledger.GetAsync(account.Id, CancellationToken.None);
        Assert.Equal(n, balance.Reservations.Count);
        Assert.Equal(100m - n * 0.10m, balance.Available);
    }

    [Fact]
    public async Task When_a_decision_among_many_at_once_refuses_its_command_Should_fail_alone_and_commit_the_others()
    {
        const int n = 30;
        var account = await host.CreateAccountAsync();
        await host.TopUpAsync(account.Id, 100m);
        var ledger = host.Services.GetRequiredService<BalanceLedger>();

        var reservations = Enumerable.Range(0, n).Select(_ => Task.Run(() => ReserveAsync(ledger, account.Id, 0.01m, 10))).ToList();
        var emptyTopUp = Task.Run(() => ledger.DecideAsync<bool>(
            account.Id, null, (state, now) => (BalanceDecider.Handle(state, new TopUp(account.Id, 0m, "nothing"), now), true), CancellationToken.None));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => emptyTopUp);
        Assert.All(await Task.WhenAll(reservations), d => Assert.True(d.Covered));
        var balance = await ledger.GetAsync(account.Id, CancellationToken.None);
        Assert.Equal(n, balance.Reservations.Count);
        Assert.Equal(100m - n * 0.10m, balance.Available);
    }

    [Fact]
    public async Task When_N_reservations_race_over_the_bus_for_a_balance_covering_N_minus_1_Should_refuse_exactly_one()
    {
        const int n = 8;
        await host.SetRateAsync("1415", 0.10m);
        var account = await host.CreateAccountAsync();
        await host.TopUpAsync(account.Id, (n - 1) * 0.50m);
        var client = host.RequestClient<Messages.ReserveFunds>("policy-reserve-funds");

        var responses = await Task.WhenAll(Enumerable.Range(0, n).Select(_ => client.GetResponse<Messages.FundsReserved, Messages.InsufficientFunds>(
            new Messages.ReserveFunds(Guid.NewGuid(), TimeProvider.System.GetUtcNow(), Guid.NewGuid(), account.Id, "+14155550123", 5))));

        Assert.Equal(n - 1, responses.Count(r => r.Is(out Response<Messages.FundsReserved>? _)));
        Assert.Single(responses, r => r.Is(out Response<Messages.InsufficientFunds>? _));
        var balance = await host.Http.GetFromJsonAsync<BalanceView>($"/accounts/{account.Id}/balance", PolicyHost.Json);
        Assert.Equal(0m, balance!.Available);
        Assert.Equal((n - 1) * 0.50m, balance.Reserved);
    }

    /// <summary>A new transfer's reservation of <paramref name="minutes"/> at <paramref name="pricePerMinute"/>, straight on the ledger.</summary>
    private static Task<ReservationDecision> ReserveAsync(BalanceLedger ledger, Guid accountId, decimal pricePerMinute, int minutes) =>
        ledger.DecideAsync(
            accountId,
            null,
            (state, now) =>
            {
                var d = BalanceDecider.Handle(state, new Reserve(accountId, Guid.NewGuid(), Guid.NewGuid(), pricePerMinute, minutes), now);
                return (d.Events, d);
            },
            CancellationToken.None);
}
