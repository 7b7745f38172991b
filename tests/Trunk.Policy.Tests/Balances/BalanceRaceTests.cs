using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Messages = Trunk.Contracts.Policy;
using Trunk.Policy.Balances;
using Trunk.Policy.Tests.Support;

namespace Trunk.Policy.Tests.Balances;

/// <summary>Reservations racing for the same money on the real PostgreSQL: optimistic concurrency lets exactly the covered ones win.</summary>
public sealed class BalanceRaceTests(PolicyHost host) : IClassFixture<PolicyHost>
{
    [Fact]
    public async Task When_two_reservations_race_for_the_last_cent_Should_let_exactly_one_win()
    {
        var account = await host.CreateAccountAsync();
        await host.TopUpAsync(account.Id, 0.01m);
        var ledger = host.Services.GetRequiredService<BalanceLedger>();

        var decisions = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => ledger.DecideAsync(
            account.Id,
            (state, now) =>
            {
                var d = BalanceDecider.Handle(state, new Reserve(account.Id, Guid.NewGuid(), Guid.NewGuid(), 0.01m, 1), now);
                return (d.Events, d);
            },
            CancellationToken.None))));

        Assert.Single(decisions, d => d.Covered);
        Assert.Equal(0m, (await ledger.GetAsync(account.Id, CancellationToken.None)).Available);
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
}
