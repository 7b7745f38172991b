using System.Net.Http.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using MassTransit;
using Trunk.Contracts.Policy;
using Balance = Trunk.Policy.Balances.Balance;
using BalanceView = Trunk.Policy.Balances.BalanceView;
using Trunk.Policy.Tests.Support;

namespace Trunk.Policy.Tests.Transfers;

/// <summary>Request/response over the real RabbitMQ: what the Transfer saga and Signaling ask Policy, and what they get.</summary>
public sealed class PolicyRequestTests(PolicyHost host) : IClassFixture<PolicyHost>
{
    private static CheckTransfer Check(Guid accountId, Guid trunkId, string target, string host) =>
        new(Guid.NewGuid(), TimeProvider.System.GetUtcNow(), Guid.NewGuid(), accountId, trunkId, target, host);

    [Fact]
    public async Task When_a_domestic_transfer_is_checked_Should_answer_TransferAllowed_with_country_price_and_the_trunks_ring_timeout()
    {
        await host.SetRateAsync("1", 0.01m);
        var account = await host.CreateAccountAsync();
        var trunk = await host.CreateTrunkAsync(account.Id, PolicyApi.UniqueUsNumber());
        var request = Check(account.Id, trunk.Id, "+14155550123", trunk.Domain);

        var response = await host.RequestClient<CheckTransfer>("policy-check-transfer")
            .GetResponse<TransferAllowed, TransferDenied>(request);

        Assert.True(response.Is(out Response<TransferAllowed>? allowed));
        Assert.Equal("US", allowed.Message.CountryCode);
        Assert.Equal(0.01m, allowed.Message.PricePerMinute);
        Assert.Equal(TimeSpan.FromSeconds(20), allowed.Message.RingTimeout);
        Assert.Equal(request.CallId, allowed.Message.CallId);
        Assert.Equal(request.TransferId, allowed.Message.TransferId);
    }

    [Fact]
    public async Task When_an_international_transfer_has_no_permission_Should_answer_TransferDenied_403_until_allowed()
    {
        await host.SetRateAsync("44", 0.02m);
        var account = await host.CreateAccountAsync();
        var trunk = await host.CreateTrunkAsync(account.Id);
        var client = host.RequestClient<CheckTransfer>("policy-check-transfer");

        var before = await client.GetResponse<TransferAllowed, TransferDenied>(Check(account.Id, trunk.Id, "+447400123456", trunk.Domain));
        await host.AllowCountryAsync(account.Id, "GB");
        var after = await client.GetResponse<TransferAllowed, TransferDenied>(Check(account.Id, trunk.Id, "+447400123456", trunk.Domain));

        Assert.True(before.Is(out Response<TransferDenied>? denied));
        Assert.Equal(403, denied.Message.SipCode);
        Assert.Contains("GB", denied.Message.Reason, StringComparison.Ordinal);
        Assert.True(after.Is(out Response<TransferAllowed>? _));
    }

    [Fact]
    public async Task When_the_Refer_To_host_is_another_domain_Should_answer_TransferDenied_403()
    {
        var account = await host.CreateAccountAsync();
        var trunk = await host.CreateTrunkAsync(account.Id);

        var response = await host.RequestClient<CheckTransfer>("policy-check-transfer")
            .GetResponse<TransferAllowed, TransferDenied>(Check(account.Id, trunk.Id, "+14155550123", "evil.example"));

        Assert.True(response.Is(out Response<TransferDenied>? denied));
        Assert.Equal(403, denied.Message.SipCode);
    }

    [Fact]
    public async Task When_funds_are_reserved_and_the_call_charged_Should_charge_the_real_duration_and_release_the_rest()
    {
        await host.SetRateAsync("1", 0.01m);
        var account = await host.CreateAccountAsync();
        await host.TopUpAsync(account.Id, 1m);
        var callId = Guid.NewGuid();
        var transferId = Guid.NewGuid();
        var reserve = new ReserveFunds(callId, TimeProvider.System.GetUtcNow(), transferId, account.Id, "+14155550123", 60);

        var reserved = await host.RequestClient<ReserveFunds>("policy-reserve-funds").GetResponse<FundsReserved, InsufficientFunds>(reserve);
        var again = await host.RequestClient<ReserveFunds>("policy-reserve-funds").GetResponse<FundsReserved, InsufficientFunds>(reserve);
        var charge = new ChargeCall(callId, TimeProvider.System.GetUtcNow(), transferId, account.Id, TimeSpan.FromSeconds(150));
        var charged = await host.RequestClient<ChargeCall>("policy-charge-call").GetResponse<CallCharged>(charge);
        var chargedAgain = await host.RequestClient<ChargeCall>("policy-charge-call").GetResponse<CallCharged>(charge);

        Assert.True(reserved.Is(out Response<FundsReserved>? first));
        Assert.Equal(0.60m, first.Message.Amount);
        Assert.True(again.Is(out Response<FundsReserved>? second));
        Assert.Equal(0.60m, second.Message.Amount);
        Assert.Equal(0.025m, charged.Message.Amount);
        Assert.Equal(0.025m, chargedAgain.Message.Amount);
        Assert.False(string.IsNullOrEmpty(charged.Message.Instance));
        var balance = await host.Http.GetFromJsonAsync<BalanceView>($"/accounts/{account.Id}/balance", PolicyHost.Json);
        Assert.Equal(0.975m, balance!.Available);
        Assert.Equal(0m, balance.Reserved);
    }

    [Fact]
    public async Task When_settled_transfers_repeat_their_reservation_or_charge_Should_hold_nothing_and_keep_the_balance_document_small()
    {
        await host.SetRateAsync("1", 0.01m);
        var account = await host.CreateAccountAsync();
        await host.TopUpAsync(account.Id, 10m);
        var reserveClient = host.RequestClient<ReserveFunds>("policy-reserve-funds");
        var chargeClient = host.RequestClient<ChargeCall>("policy-charge-call");
        var transfers = Enumerable.Range(0, 5).Select(_ => (Call: Guid.NewGuid(), Transfer: Guid.NewGuid())).ToList();

        foreach (var (call, transfer) in transfers)
        {
            await reserveClient.GetResponse<FundsReserved, InsufficientFunds>(
                new ReserveFunds(call, TimeProvider.System.GetUtcNow(), transfer, account.Id, "+14155550123", 60));
            await chargeClient.GetResponse<CallCharged>(new ChargeCall(call, TimeProvider.System.GetUtcNow(), transfer, account.Id, TimeSpan.FromSeconds(60)));
        }

        var (lateCall, lateTransfer) = transfers[0];
        var late = await reserveClient.GetResponse<FundsReserved, InsufficientFunds>(
            new ReserveFunds(lateCall, TimeProvider.System.GetUtcNow(), lateTransfer, account.Id, "+14155550123", 60));
        var chargedAgain = await chargeClient.GetResponse<CallCharged>(
            new ChargeCall(lateCall, TimeProvider.System.GetUtcNow(), lateTransfer, account.Id, TimeSpan.FromSeconds(60)));

        Assert.True(late.Is(out Response<FundsReserved>? _));
        Assert.Equal(0.01m, chargedAgain.Message.Amount);
        var view = await host.Http.GetFromJsonAsync<BalanceView>($"/accounts/{account.Id}/balance", PolicyHost.Json);
        Assert.Equal(10m - 5 * 0.01m, view!.Available);
        Assert.Equal(0m, view.Reserved);
        await using var session = host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Empty((await session.LoadAsync<Balance>(account.Id))!.Charges);
    }

    [Fact]
    public async Task When_the_balance_cannot_cover_the_minutes_Should_answer_InsufficientFunds_with_required_and_available()
    {
        await host.SetRateAsync("1", 0.01m);
        var account = await host.CreateAccountAsync();
        await host.TopUpAsync(account.Id, 0.05m);

        var response = await host.RequestClient<ReserveFunds>("policy-reserve-funds").GetResponse<FundsReserved, InsufficientFunds>(
            new ReserveFunds(Guid.NewGuid(), TimeProvider.System.GetUtcNow(), Guid.NewGuid(), account.Id, "+14155550123", 10));

        Assert.True(response.Is(out Response<InsufficientFunds>? refused));
        Assert.Equal(0.10m, refused.Message.Required);
        Assert.Equal(0.05m, refused.Message.Available);
    }

    [Fact]
    public async Task When_Signaling_asks_for_a_DID_Should_answer_TrunkFound_with_its_settings_or_TrunkNotFound()
    {
        var did = PolicyApi.UniqueUsNumber();
        var account = await host.CreateAccountAsync();
        var trunk = await host.CreateTrunkAsync(account.Id, did);
        var client = host.RequestClient<GetTrunkByDid>("policy-get-trunk-by-did");

        var found = await client.GetResponse<TrunkFound, TrunkNotFound>(new GetTrunkByDid(Guid.NewGuid(), TimeProvider.System.GetUtcNow(), did));
        var missing = await client.GetResponse<TrunkFound, TrunkNotFound>(new GetTrunkByDid(Guid.NewGuid(), TimeProvider.System.GetUtcNow(), "+14155550199"));

        Assert.True(found.Is(out Response<TrunkFound>? settings));
        Assert.Equal(trunk.Id, settings.Message.Trunk.TrunkId);
        Assert.Equal(["sip:endpoint@127.0.0.1:5070", "sip:backup@127.0.0.1:5072"], settings.Message.Trunk.TerminationUris);
        Assert.Equal(TimeSpan.FromSeconds(20), settings.Message.Trunk.RingTimeout);
        Assert.Equal(MediaMode.Passthrough, settings.Message.Trunk.Media);
        Assert.True(missing.Is(out Response<TrunkNotFound>? _));
    }
}
