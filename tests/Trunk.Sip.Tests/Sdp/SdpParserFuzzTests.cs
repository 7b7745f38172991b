using System.Text;
using Trunk.Sip.Sdp;

namespace Trunk.Sip.Tests.Sdp;

/// <summary>A seeded mutator over the real-world samples: the parser never throws, and what it accepts survives a round trip.</summary>
public sealed class SdpParserFuzzTests
{
    private const int Mutations = 50_000;
    private const string Alphabet = "=/: \r\n0123456789aAmcotvbIP4P6.-*";

    [Fact]
    public void When_samples_are_mutated_Should_never_throw_and_accepted_ones_should_round_trip()
    {
        var random = new Random(4566);
        string[] samples =
        [
            SdpSamples.SoftphoneOffer, SdpSamples.LinphoneOffer, SdpSamples.IPv6Offer, SdpSamples.HoldReInvite,
            SdpSamples.Rfc2543HoldReInvite, SdpSamples.AudioAndVideoOffer, SdpSamples.Rfc4566Example,
        ];
        var accepted = 0;
        for (var i = 0; i < Mutations; i++)
        {
            var text = Mutate(samples[random.Next(samples.Length)], random);

            if (SdpSessionDescription.TryParse(text, out var sdp, out var error))
            {
                accepted++;
                var again = SdpSessionDescription.Parse(sdp.ToString());
                Assert.Equal(sdp.ToString(), again.ToString());
                _ = SdpOfferAnswer.Answer(sdp, new SdpAnswerOptions(
                    SdpOrigin.Create("1", 1, System.Net.IPAddress.Loopback), System.Net.IPAddress.Loopback, 30000, [SdpCodec.Pcmu]));
                _ = SdpHold.IsOnHold(sdp);
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(error.Reason));
            }
        }

        Assert.InRange(accepted, 1, Mutations - 1);
    }

    private static string Mutate(string text, Random random)
    {
        var builder = new StringBuilder(text);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && builder.Length > 0; e++)
        {
            var at = random.Next(builder.Length);
            switch (random.Next(3))
            {
                case 0:
                    builder[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                case 1:
                    builder.Remove(at, Math.Min(random.Next(1, 8), builder.Length - at));
                    break;
                default:
                    builder.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
            }
        }

        return builder.ToString();
    }
}
