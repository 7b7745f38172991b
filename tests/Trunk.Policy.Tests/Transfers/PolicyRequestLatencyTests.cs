using System.Diagnostics;
using MassTransit;
using Trunk.Policy.Tests.Support;
using Xunit.Abstractions;
using Messages = Trunk.Contracts.Policy;

namespace Trunk.Policy.Tests.Transfers;

/// <summary>
/// How long the REFER decision's Policy hop takes over the real RabbitMQ and PostgreSQL on this machine (other load
/// included). Reports p50/p99 and asserts only a loose ceiling, so that a slow shared runner does not fail it.
/// </summary>
public sealed class PolicyRequestLatencyTests(PolicyHost host, ITestOutputHelper output) : IClassFixture<PolicyHost>
{
    private const int Requests = 300;

    [Fact]
    public async Task When_CheckTransfer_and_ReserveFunds_are_asked_in_sequence_Should_answer_within_a_p99_of_250_ms()
    {
        await host.SetRateAsync("1", 0.01m);
        var account = await host.CreateAccountAsync();
        var trunk = await host.CreateTrunkAsync(account.Id);
        await host.TopUpAsync(account.Id, 1000m);
        var check = host.RequestClient<Messages.CheckTransfer>("policy-check-transfer");
        var reserve = host.RequestClient<Messages.ReserveFunds>("policy-reserve-funds");
        await check.GetResponse<Messages.TransferAllowed, Messages.TransferDenied>(
            new Messages.CheckTransfer(Guid.NewGuid(), TimeProvider.System.GetUtcNow(), Guid.NewGuid(), account.Id, trunk.Id, "+14155550123", trunk.Domain));

        var checks = await MeasureAsync(() => check.GetResponse<Messages.TransferAllowed, Messages.TransferDenied>(
            new Messages.CheckTransfer(Guid.NewGuid(), TimeProvider.System.GetUtcNow(), Guid.NewGuid(), account.Id, trunk.Id, "+14155550123", trunk.Domain)));
        var reservations = await MeasureAsync(() => reserve.GetResponse<Messages.FundsReserved, Messages.InsufficientFunds>(
            new Messages.ReserveFunds(Guid.NewGuid(), TimeProvider.System.GetUtcNow(), Guid.NewGuid(), account.Id, "+14155550123", 1)));

        output.WriteLine($"CheckTransfer: p50 {Percentile(checks, 0.50):F1} ms, p99 {Percentile(checks, 0.99):F1} ms over {Requests}");
        output.WriteLine($"ReserveFunds:  p50 {Percentile(reservations, 0.50):F1} ms, p99 {Percentile(reservations, 0.99):F1} ms over {Requests}");
        Assert.True(Percentile(checks, 0.99) < 250, $"CheckTransfer p99 {Percentile(checks, 0.99):F1} ms");
        Assert.True(Percentile(reservations, 0.99) < 250, $"ReserveFunds p99 {Percentile(reservations, 0.99):F1} ms");
    }

    private static async Task<double[]> MeasureAsync(Func<Task> request)
    {
        var samples = new double[Requests];
        for (var i = 0; i < Requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await request();
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(samples);
        return samples;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
