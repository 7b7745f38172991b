using Marten;
using Npgsql;
using Trunk.Contracts.Policy;
using Trunk.Policy.Accounts;
using Trunk.Policy.Balances;
using Trunk.Policy.Rates;
using Trunk.Policy.Trunks;
using Weasel.Core;

namespace Trunk.Policy.Seed;

/// <summary>
/// The README demo's data: one US account with a balance, its trunk <c>demo.trunk.example</c> with DID
/// +14155550100 to <c>sip:endpoint@127.0.0.1:5070</c>, and a few rates. Applied in Development (or with
/// <c>Policy:SeedDemoData</c>); only what is missing is written, so running it again changes nothing.
/// </summary>
internal sealed partial class DemoSeed(IDocumentStore store, BalanceLedger ledger, ILogger<DemoSeed> logger) : BackgroundService
{
    public static readonly Guid AccountId = new("00000000-0000-0000-0000-00000000a001");
    public static readonly Guid TrunkId = new("00000000-0000-0000-0000-00000000b001");
    public const string Did = "+14155550100";
    public const string TopUpReference = "demo-seed";

    private static readonly Rate[] Rates =
    [
        new("1", 0.01m, "US and Canada"),
        new("44", 0.02m, "United Kingdom"),
        new("33", 0.025m, "France"),
        new("49", 0.03m, "Germany"),
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await WaitForSchemaAsync(stoppingToken).ConfigureAwait(false);
                await SeedAsync(stoppingToken).ConfigureAwait(false);
                LogSeeded(AccountId, TrunkId, Did);
                return;
            }
            catch (NpgsqlException e) when (!stoppingToken.IsCancellationRequested)
            {
                LogRetry(attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 10)), stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Writing before the schema initializer is done would run Marten's lazy DDL alongside it, and two DDL runs
    /// collide ("relation already exists"); so the seed waits until the database has nothing left to apply.
    /// </summary>
    private async Task WaitForSchemaAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var migration = await store.Storage.Database.CreateMigrationAsync(cancellationToken).ConfigureAwait(false);
            if (migration.Difference == SchemaPatchDifference.None)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        await using (var session = store.LightweightSession())
        {
            if (await session.LoadAsync<Account>(AccountId, cancellationToken).ConfigureAwait(false) is null)
            {
                session.Store(new Account(AccountId, "Demo", "US", "USD", null, [], false));
            }

            if (await session.LoadAsync<InboundTrunk>(TrunkId, cancellationToken).ConfigureAwait(false) is null)
            {
                session.Store(new InboundTrunk(
                    TrunkId, AccountId, "demo.trunk.example", [Did], ["sip:endpoint@127.0.0.1:5070"], "sip:127.0.0.1:5080",
                    TimeSpan.FromSeconds(30), MediaMode.Passthrough, 100, true));
                session.Store(new DidAssignment(Did, TrunkId));
            }

            var existing = await session.LoadManyAsync<Rate>(cancellationToken, Rates.Select(r => r.Id).ToArray()).ConfigureAwait(false);
            session.Store(Rates.Where(r => existing.All(e => e.Id != r.Id)).ToArray());
            await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        var topUp = new TopUp(AccountId, 10m, TopUpReference);
        await ledger.DecideAsync(AccountId, null, (state, now) => (BalanceDecider.Handle(state, topUp, now), true), cancellationToken)
            .ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data present: account {AccountId}, trunk {TrunkId}, DID {Did}")]
    private partial void LogSeeded(Guid accountId, Guid trunkId, string did);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo data not seeded yet (attempt {Attempt}): {Error}")]
    private partial void LogRetry(int attempt, string error);
}
