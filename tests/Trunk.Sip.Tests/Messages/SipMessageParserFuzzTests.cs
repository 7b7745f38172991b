using System.Diagnostics;
using Trunk.Sip.Messages;
using Trunk.Sip.Tests.Messages.Torture;
using Xunit.Abstractions;

namespace Trunk.Sip.Tests.Messages;

/// <summary>
/// Seeded fuzzing of the parser and of everything a receiver does next (typed headers, validator,
/// error response, re-serialization): no exception but the parse error, no hang, bounded allocation.
/// </summary>
public sealed class SipMessageParserFuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 100_000;

    [Fact]
    public void When_fed_100000_mutated_messages_Should_never_throw_hang_or_allocate_without_bound()
    {
        var seeds = Directory.GetFiles(TortureTests.DataPath("rfc4475"), "*.dat")
            .Concat(Directory.GetFiles(TortureTests.DataPath("rfc5118"), "*.dat"))
            .Select(File.ReadAllBytes)
            .Append(SampleMessages.Bytes(SampleMessages.Refer))
            .Append(SampleMessages.Bytes(SampleMessages.Invite))
            .ToArray();
        var mutator = new SipMessageMutator(seed: 4475);
        var parsed = 0;
        var worstAllocation = 0L;
        var stopwatch = Stopwatch.StartNew();

        for (var i = 0; i < Iterations; i++)
        {
            var input = mutator.Mutate(seeds[i % seeds.Length]);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var ok = SipMessageParser.TryParse(input, out var message, out var error);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            worstAllocation = Math.Max(worstAllocation, allocated);

            // Generous: the message copied a few times over (strings are UTF-16) plus fixed overhead.
            Assert.True(allocated <= (input.Length * 16L) + 16_384, $"case {i}: {allocated} bytes for {input.Length} input bytes");
            if (ok)
            {
                parsed++;
                Exercise(message!);
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(error!.Reason));
                error.CreateResponse("fuzz")?.ToBytes();
            }
        }

        stopwatch.Stop();
        output.WriteLine($"{Iterations} mutated messages, {parsed} parsed, {Iterations - parsed} refused, worst allocation {worstAllocation} bytes, {stopwatch.Elapsed.TotalSeconds:F1} s");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(60), $"took {stopwatch.Elapsed}");
        Assert.InRange(parsed, 1, Iterations - 1);
    }

    private static void Exercise(SipMessage message)
    {
        _ = (message.From, message.To, message.CSeq, message.Vias, message.Contacts, message.MaxForwards, message.ContentType);
        _ = (message.GetRoutes(), message.GetRecordRoutes(), message.GetReferTo(), message.GetReferToReplaces(), message.GetEvent());
        _ = (message.GetSubscriptionState(), message.GetReasons(), message.GetWarnings(), message.GetRetryAfter(), message.GetRequire());
        if (message is SipRequest request)
        {
            var failure = SipRequestValidator.Validate(request);
            failure?.CreateResponse(request, "fuzz").ToBytes();
        }

        Assert.True(SipMessageParser.TryParse(message.ToBytes(), out _, out _));
    }
}
