using System.Diagnostics.Metrics;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Persistence;
using Trunk.ServiceDefaults.Telemetry;

namespace Trunk.Policy.Balances;

/// <summary>
/// Returns to their balances the reservations held longer than <see cref="PolicySettings.ReservationLifetime"/>
/// (<see cref="ReservationExpired"/>), at start and every <see cref="RetentionPruner.Every"/>. A reservation is settled by
/// its charge when the call ends, and the Transfer saga ends every transferred call by <c>Transfer:MaxCallDuration</c>;
/// one still open a day later lost its settlement (a charge parked in an error queue, a saga pruned before a late
/// reservation came), and its money would otherwise be held for ever. Each expiry is logged: it means a settlement to
/// look for, and is counted (<c>trunk.policy.expired_reservations</c>, alert <c>ReservationsExpired</c>). A charge that
/// still comes is taken from the balance.
/// </summary>
public sealed partial class ReservationExpirer(
    IDocumentStore store,
    BalanceLedger ledger,
    TimeProvider time,
    IOptions<PolicySettings> settings,
    ServiceIdentity identity,
    ILogger<ReservationExpirer> logger) : RetentionPruner(time, logger)
{
    /// <summary>The most accounts read per query.</summary>
    private const int BatchSize = 500;

    private readonly TimeProvider _time = time;
    private readonly ILogger<ReservationExpirer> _logger = logger;
    private readonly Counter<long> _expired = identity.Meter.CreateCounter(TrunkMetrics.ExpiredReservations);

    protected override string What => "reservations";

    public override Task PruneAsync(CancellationToken cancellationToken) =>
        ExpireAsync(_time.GetUtcNow() - settings.Value.ReservationLifetime, cancellationToken);

    /// <summary>Expires every reservation made before <paramref name="cutoff"/>; returns them.</summary>
    public async Task<IReadOnlyList<ReservationExpired>> ExpireAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var expired = new List<ReservationExpired>();
        Guid[] accounts;
        do
        {
            accounts = await AccountsHoldingAsync(cutoff, cancellationToken).ConfigureAwait(false);
            foreach (var account in accounts)
            {
                var facts = await ledger.DecideAsync<IReadOnlyList<ReservationExpired>>(
                    account,
                    null,
                    (balance, now) =>
                    {
                        var due = BalanceDecider.Expire(balance, cutoff, now);
                        return (due, due);
                    },
                    cancellationToken).ConfigureAwait(false);
                foreach (var fact in facts)
                {
                    LogExpired(fact.AccountId, fact.TransferId, fact.CallId, fact.Amount, fact.ReservedAt);
                }

                _expired.Add(facts.Count);
                expired.AddRange(facts);
            }
        }
        while (accounts.Length == BatchSize);

        return expired;
    }

    /// <summary>The accounts whose balance holds a reservation made before the cutoff.</summary>
    private async Task<Guid[]> AccountsHoldingAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var table = store.Options.FindOrResolveDocumentType(typeof(Balance)).TableName.QualifiedName;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = new NpgsqlCommand(
            $"select id from {table} where exists (select 1 from jsonb_each(data -> '{nameof(Balance.Reservations)}') r " +
            $"where (r.value ->> '{nameof(Reservation.ReservedAt)}')::timestamptz < $1) limit {BatchSize}",
            connection)
        {
            Parameters = { new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = cutoff.UtcDateTime } },
        };
        var accounts = new List<Guid>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            accounts.Add(reader.GetGuid(0));
        }

        return [.. accounts];
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Reservation of transfer {TransferId} (call {CallId}, account {AccountId}) of {Amount} held since {ReservedAt} with no charge: returned to the balance (Policy:ReservationLifetime). Look for its ChargeCall in policy-charge-call_error; a charge that still comes is taken from the balance")]
    private partial void LogExpired(Guid accountId, Guid transferId, Guid callId, decimal amount, DateTimeOffset reservedAt);
}
