using Trunk.Testing.Rtp;
using Trunk.Media.Rtp;
using Trunk.Media.Tests.Support;
using Trunk.Media.Tones;

namespace Trunk.Media.Tests.Tones;

public sealed class TonePlanTests
{
    [Theory]
    [InlineData("US", new[] { 440.0, 480.0 }, new[] { 2.0, 4.0 })]
    [InlineData("GB", new[] { 400.0, 450.0 }, new[] { 0.4, 0.2, 0.4, 2.0 })]
    [InlineData("uk", new[] { 400.0, 450.0 }, new[] { 0.4, 0.2, 0.4, 2.0 })]
    public void Should_play_the_countrys_frequencies_in_its_cadence(string country, double[] frequencies, double[] cadence)
    {
        var cycle = TonePlan.Find(country)!.Encoded(G711Law.ALaw).Select(b => G711.Decode(G711Law.ALaw, b)).ToList();

        Assert.Equal((int)(cadence.Sum() * 8000), cycle.Count);
        var start = 0;
        for (var step = 0; step < cadence.Length; step++)
        {
            var block = cycle.GetRange(start, (int)(cadence[step] * 8000));
            start += block.Count;
            var powers = frequencies.Select(f => Goertzel.Power(block, f)).ToList();
            var other = Goertzel.Power(block, 1000);
            if (step % 2 == 0)
            {
                Assert.All(powers, p => Assert.True(p > 1000 * other, $"step {step}: {p:E2} vs {other:E2}"));
            }
            else
            {
                Assert.All(block, s => Assert.InRange(s, -8, 8));
            }
        }
    }

    [Fact]
    public void Should_have_no_plan_for_an_unknown_country() => Assert.Null(TonePlan.Find("ZZ"));
}
