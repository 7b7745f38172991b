using Trunk.Media.Rtp;

namespace Trunk.Media.Tests.Rtp;

public sealed class G711Tests
{
    [Theory]
    [InlineData(G711Law.MuLaw, 0xFF, 0)]
    [InlineData(G711Law.MuLaw, 0x7F, 0)]
    [InlineData(G711Law.MuLaw, 0x80, 32124)]
    [InlineData(G711Law.MuLaw, 0x00, -32124)]
    [InlineData(G711Law.MuLaw, 0xEF, 132)]
    [InlineData(G711Law.ALaw, 0xD5, 8)]
    [InlineData(G711Law.ALaw, 0x55, -8)]
    [InlineData(G711Law.ALaw, 0xAA, 32256)]
    [InlineData(G711Law.ALaw, 0x2A, -32256)]
    public void Should_decode_the_reference_values_of_G711(G711Law law, byte code, short linear) =>
        Assert.Equal(linear, G711.Decode(law, code));

    [Theory]
    [InlineData(G711Law.MuLaw)]
    [InlineData(G711Law.ALaw)]
    public void Should_encode_every_code_back_to_itself(G711Law law)
    {
        for (var code = 0; code < 256; code++)
        {
            var expected = law == G711Law.MuLaw && code == 0x7F ? 0xFF : code;
            Assert.Equal((byte)expected, G711.Encode(law, G711.Decode(law, (byte)code)));
        }
    }

    [Fact]
    public void Should_convert_every_mu_law_sample_to_an_a_law_level_beside_it() =>
        AssertBracketing(G711Law.MuLaw, G711Law.ALaw, G711.MuLawToALaw);

    [Fact]
    public void Should_convert_every_a_law_sample_to_a_mu_law_level_beside_it() =>
        AssertBracketing(G711Law.ALaw, G711Law.MuLaw, G711.ALawToMuLaw);

    /// <summary>
    /// Sample by sample: the converted code is what the G.711 encoder gives for the source's level, and that level lies
    /// between the two target levels around the source's (the encoder's segments make it the upper or lower one).
    /// </summary>
    private static void AssertBracketing(G711Law from, G711Law to, ReadOnlySpan<byte> table)
    {
        var levels = Enumerable.Range(0, 256).Select(c => (int)G711.Decode(to, (byte)c)).ToList();
        for (var code = 0; code < 256; code++)
        {
            int level = G711.Decode(from, (byte)code);
            var below = levels.Where(l => l <= level).DefaultIfEmpty(levels.Min()).Max();
            var above = levels.Where(l => l >= level).DefaultIfEmpty(levels.Max()).Min();
            int converted = G711.Decode(to, table[code]);
            Assert.Equal(G711.Encode(to, (short)level), table[code]);
            Assert.True(converted == below || converted == above,
                $"{from} 0x{code:X2} ({level}) became {to} 0x{table[code]:X2} ({converted}), not {below} or {above}");
        }
    }
}
