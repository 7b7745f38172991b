using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Trunk.Contracts.Policy;
using Trunk.Policy.Tests.Support;
using Trunk.Testing.Messaging;

namespace Trunk.Policy.Tests.Transfers;

/// <summary>
/// Signaling decides REFERs from a copy of each account's transfer rules: Policy answers <see cref="GetTransferRules"/>
/// and publishes <see cref="TransferRulesChanged"/> on the real bus after every change that alters a decision.
/// </summary>
public sealed class TransferRulesPushTests(PolicyHost host) : IClassFixture<PolicyHost>, IAsyncLifetime
{
    private MessageListener<TransferRulesChanged> _pushes = null!;

    public async Task InitializeAsync() => _pushes = await MessageListener<TransferRulesChanged>.StartAsync($"{host.QueuePrefix}transfer-rules-listener");

    public async Task DisposeAsync() => await _pushes.DisposeAsync();

    [Fact]
    public async Task When_Signaling_asks_for_an_accounts_rules_Should_answer_them_with_the_rate_book_or_not_found()
    {
        await host.SetRateAsync("44", 0.02m);
        var account = await host.CreateAccountAsync("DE");
        await host.AllowCountryAsync(account.Id, "GB");
        var client = host.RequestClient<GetTransferRules>("policy-get-transfer-rules");

        var found = await client.GetResponse<TransferRulesFound, TransferRulesNotFound>(new GetTransferRules(Guid.NewGuid(), TimeProvider.System.GetUtcNow(), account.Id));
        var missing = await client.GetResponse<TransferRulesFound, TransferRulesNotFound>(new GetTransferRules(Guid.NewGuid(), TimeProvider.System.GetUtcNow(), Guid.NewGuid()));

        Assert.True(found.Is(out Response<TransferRulesFound>? rules));
        Assert.Equal("DE", rules.Message.Rules.HomeCountry);
        Assert.Equal(["GB"], rules.Message.Rules.AllowedCountries);
        Assert.False(rules.Message.Rules.PremiumAllowed);
        Assert.Contains(new RatedPrefix("44", 0.02m), rules.Message.Rules.Rates);
        Assert.True(missing.Is(out Response<TransferRulesNotFound>? _));
    }

    [Fact]
    public async Task When_a_country_or_premium_is_allowed_or_revoked_Should_push_the_accounts_new_rules_each_time()
    {
        var account = await host.CreateAccountAsync("DE");

        await host.AllowCountryAsync(account.Id, "GB");
        using var premium = await host.Http.PutAsJsonAsync(new Uri($"/accounts/{account.Id}/geo-permissions/premium", UriKind.Relative), new { enabled = true });
        using var revoked = await host.Http.DeleteAsync(new Uri($"/accounts/{account.Id}/geo-permissions/countries/GB", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, premium.StatusCode);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var pushed = (await _pushes.WaitForAsync(c => c.Rules.AccountId == account.Id, 3)).Select(c => c.Rules).ToList();
        Assert.Equal(["GB:False", "GB:True", ":True"], pushed.Select(r => $"{string.Join(',', r.AllowedCountries)}:{r.PremiumAllowed}"));
    }

    [Fact]
    public async Task When_a_rate_changes_Should_push_every_accounts_rules_with_the_new_rate_and_nothing_when_it_is_set_unchanged()
    {
        var account = await host.CreateAccountAsync("DE");
        var prefix = NewPrefix();

        await host.SetRateAsync(prefix, 0.5m);
        await _pushes.WaitForAsync(c => c.Rules.AccountId == account.Id && c.Rules.Rates.Contains(new RatedPrefix(prefix, 0.5m)), 1);
        var before = PushesOf(account.Id).Count;
        await host.SetRateAsync(prefix, 0.5m);
        await Task.Delay(500);
        var afterUnchanged = PushesOf(account.Id).Count;
        using var deleted = await host.Http.DeleteAsync(new Uri($"/rates/{prefix}", UriKind.Relative));
        await _pushes.WaitForAsync(c => c.Rules.AccountId == account.Id && c.Rules.Rates.All(r => r.Prefix != prefix), 1);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(before, afterUnchanged);
    }

    /// <summary>
    /// A burst of rate edits is pushed in the background, in as few pushes as it takes: the last push each account gets
    /// carries the last rate, never an older book after a newer one.
    /// </summary>
    [Fact]
    public async Task When_rates_change_in_a_burst_Should_leave_every_account_with_the_last_rate()
    {
        var accounts = new[] { await host.CreateAccountAsync("DE"), await host.CreateAccountAsync("FR") };
        var prefix = NewPrefix();

        foreach (var price in new[] { 0.1m, 0.2m, 0.3m, 0.4m, 0.5m })
        {
            await host.SetRateAsync(prefix, price);
        }

        foreach (var account in accounts)
        {
            await _pushes.WaitForAsync(c => c.Rules.AccountId == account.Id && c.Rules.Rates.Contains(new RatedPrefix(prefix, 0.5m)), 1);
        }

        await Task.Delay(500);
        Assert.All(accounts, account => Assert.Contains(new RatedPrefix(prefix, 0.5m), PushesOf(account.Id).MaxBy(c => c.At)!.Rules.Rates));
    }

    private static string NewPrefix() => "8869" + Random.Shared.Next(100, 999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private List<TransferRulesChanged> PushesOf(Guid accountId) => [.. _pushes.Received.Where(c => c.Rules.AccountId == accountId)];
}
