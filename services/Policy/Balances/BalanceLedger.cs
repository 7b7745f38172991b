using System.Collections.Concurrent;
using Marten;
using Trunk.Policy.Api;

namespace Trunk.Policy.Balances;

/// <summary>
/// Runs balance decisions against the account's stream with optimistic concurrency: the events are appended only if
/// no one appended since the state was read (Marten <c>FetchForWriting</c>). On a lost race the decisions are taken
/// again on the new state, so two reservations racing for the last cent cannot both win.
/// <para>
/// Within this process an account's decisions take turns (one of <see cref="Stripes"/> locks, chosen by the account
/// id), and the one whose turn it is decides every decision of the account queued meanwhile, in arrival order, each on
/// the balance the ones before it left, and commits them together (group commit): a busy account's transfers no longer
/// queue one database transaction each (at 20 transfers/s on one account the reservations fell a second behind and the
/// saga's funds deadline failed most transfers, bench/results/transfers.md). Optimistic concurrency still guards
/// against another Policy instance.
/// </para>
/// </summary>
public sealed partial class BalanceLedger(IDocumentStore store, TimeProvider time, ILogger<BalanceLedger> logger)
{
    private const int MaxAttempts = 20;
    private const int Stripes = 64;

    /// <summary>At most this many decisions share one transaction.</summary>
    private const int MaxBatch = 256;

    private readonly SemaphoreSlim[] _turns = [.. Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1))];
    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<Decision>> _queued = new();

    /// <param name="accountId">The balance's stream.</param>
    /// <param name="transferId">The transfer the decision is about, if any: its <see cref="Settlement"/> is shown to <paramref name="decide"/>.</param>
    /// <param name="decide">The decision on the balance and the time: events to append and the result.</param>
    /// <param name="cancellationToken">Cancels the wait for the account's turn and the database calls.</param>
    public async Task<TResult> DecideAsync<TResult>(
        Guid accountId,
        Guid? transferId,
        Func<Balance, DateTimeOffset, (IReadOnlyList<object> Events, TResult Result)> decide,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decide);
        var decision = new Decision(transferId, (balance, now) =>
        {
            var (events, result) = decide(balance, now);
            return (events, result);
        });
        _queued.GetOrAdd(accountId, _ => new ConcurrentQueue<Decision>()).Enqueue(decision);
        var turn = _turns[(accountId.GetHashCode() & int.MaxValue) % Stripes];
        await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // An earlier turn may have taken ours with its batch; a long queue takes more than one.
            while (!decision.Outcome.Task.IsCompleted)
            {
                await DecideQueuedAsync(accountId, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            turn.Release();
        }

        return (TResult)(await decision.Outcome.Task.ConfigureAwait(false))!;
    }

    public async Task<Balance> GetAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<Balance>(accountId, cancellationToken).ConfigureAwait(false) ?? Balance.Empty(accountId);
    }

    /// <summary>Takes the account's queued decisions (ours among them) and commits them in one transaction.</summary>
    private async Task DecideQueuedAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var queue = _queued[accountId];
        var batch = new List<Decision>();
        while (batch.Count < MaxBatch && queue.TryDequeue(out var next))
        {
            batch.Add(next);
        }

        try
        {
            await CommitAsync(accountId, batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The transaction failed as a whole (database away, cancelled, too many lost races): every decision in it
            // fails, and each caller's message goes back through the bus's retries.
            foreach (var decision in batch)
            {
                decision.Outcome.TrySetException(e);
            }
        }
    }

    private async Task CommitAsync(Guid accountId, List<Decision> batch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var transfers = batch.Select(d => d.TransferId).OfType<Guid>().Distinct().ToArray();

            // The settlements and the balance in one round trip: the account's other decisions wait for this turn.
            var reads = session.CreateBatchQuery();
            var settlements = transfers.Length == 0 ? null : reads.LoadMany<Settlement>().ById(transfers);
            var fetched = reads.Events.FetchForWriting<Balance>(accountId);
            await reads.Execute(cancellationToken).ConfigureAwait(false);
            var settled = settlements is null
                ? new Dictionary<Guid, decimal>()
                : (await settlements.ConfigureAwait(false)).ToDictionary(s => s.Id, s => s.Charged);
            var stream = await fetched.ConfigureAwait(false);
            var balance = stream.Aggregate ?? Balance.Empty(accountId);
            var now = time.GetUtcNow();
            var results = new List<(Decision Decision, object? Result, Exception? Error)>(batch.Count);
            var appended = new List<object>();
            foreach (var decision in batch)
            {
                var shown = decision.TransferId is { } id && settled.TryGetValue(id, out var charged)
                    ? balance with { Charges = balance.Charges.SetItem(id, charged) }
                    : balance;
                try
                {
                    var (events, result) = decision.Decide(shown, now);
                    results.Add((decision, result, null));
                    foreach (var fact in events)
                    {
                        balance = balance.Evolve(fact);
                        appended.Add(fact);
                        if (fact is CallCharged charge)
                        {
                            settled[charge.TransferId] = charge.Amount;
                            session.Store(new Settlement(charge.TransferId, accountId, charge.Amount));
                        }
                    }
                }
                catch (ArgumentException e)
                {
                    // A decision that refuses its command (a top-up of nothing) fails alone; the batch goes on.
                    results.Add((decision, null, e));
                }
            }

            if (appended.Count == 0)
            {
                Complete(results);
                return;
            }

            stream.AppendMany(appended);
            try
            {
                await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                LogCommitted(accountId, batch.Count, appended.Count);
                Complete(results);
                return;
            }
            catch (Exception e) when (Conflicts.IsConflict(e) && attempt < MaxAttempts)
            {
                LogLostRace(accountId, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * attempt)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static void Complete(List<(Decision Decision, object? Result, Exception? Error)> results)
    {
        foreach (var (decision, result, error) in results)
        {
            if (error is null)
            {
                decision.Outcome.TrySetResult(result);
            }
            else
            {
                decision.Outcome.TrySetException(error);
            }
        }
    }

    /// <summary>One caller's decision, waiting for the transaction that commits it.</summary>
    private sealed record Decision(Guid? TransferId, Func<Balance, DateTimeOffset, (IReadOnlyList<object> Events, object? Result)> Decide)
    {
        public TaskCompletionSource<object?> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Balance of account {AccountId} changed under us (attempt {Attempt}); deciding again")]
    private partial void LogLostRace(Guid accountId, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Balance of account {AccountId}: {Decisions} decisions committed with {Events} events")]
    private partial void LogCommitted(Guid accountId, int decisions, int events);
}
