using Trunk.Signaling.Transfers;
using Trunk.Sip.Messages;

namespace Trunk.Signaling.Tests.Transfers;

/// <summary>The REFER checks as a pure function (ARCHITECTURE.md, REFER table rows answered by Signaling itself).</summary>
public sealed class ReferCheckTests
{
    private const string Domain = "acme.trunk.example";

    [Theory]
    [InlineData("+4930111222", true)]
    [InlineData("+14155550123", true)]
    [InlineData("+442079460000", true)]
    [InlineData("4930111222", false)]
    [InlineData("+49", false)]
    [InlineData("+1234567890123456", false)]
    [InlineData("+49301a1222", false)]
    [InlineData(null, false)]
    public void Should_accept_only_possible_E164_numbers(string? user, bool possible) =>
        Assert.Equal(possible, ReferCheck.IsPossibleE164(user));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.0.0.1", true)]
    [InlineData("172.16.5.4", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.0.1", true)]
    [InlineData("169.254.10.10", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("localhost", false)]
    [InlineData(Domain, false)]
    public void Should_know_private_loopback_and_link_local_addresses(string host, bool internalAddress) =>
        Assert.Equal(internalAddress, ReferCheck.IsInternal(host));

    [Theory]
    [InlineData(null, 400)]
    [InlineData("<sip:+4930111222@" + Domain + ">", 0)]
    [InlineData("sip:+4930111222@" + Domain, 0)]
    [InlineData("<tel:+4930111222>", 400)]
    [InlineData("<sip:bob@" + Domain + ">", 400)]
    [InlineData("<sip:+4930111222@other.example>", 403)]
    [InlineData("<sip:+4930111222@10.0.0.7>", 403)]
    [InlineData("<sip:+4930111222@" + Domain + ";maddr=127.0.0.1>", 403)]
    public void Should_answer_each_row_of_the_REFER_table(string? referTo, int expected)
    {
        var verdict = ReferCheck.Evaluate(Refer(referTo), Domain, transferRunning: false);

        Assert.Equal(expected, verdict.StatusCode);
    }

    [Fact]
    public void When_a_transfer_runs_Should_answer_491()
    {
        Assert.Equal(491, ReferCheck.Evaluate(Refer("<sip:+4930111222@" + Domain + ">"), Domain, transferRunning: true).StatusCode);
    }

    [Fact]
    public void When_Refer_To_appears_twice_Should_answer_400()
    {
        var refer = Refer("<sip:+4930111222@" + Domain + ">");
        refer = refer.WithHeaders(refer.Headers.Add(SipHeaderNames.ReferTo, "<sip:+4930111333@" + Domain + ">"));

        Assert.Equal(400, ReferCheck.Evaluate(refer, Domain, transferRunning: false).StatusCode);
    }

    private static SipRequest Refer(string? referTo)
    {
        var headers = SipHeaders.Empty.Add(SipHeaderNames.CSeq, "7 REFER");
        return new SipRequest(SipMethod.Refer, SipUri.Parse("sip:trunk@127.0.0.1"), referTo is null ? headers : headers.Add(SipHeaderNames.ReferTo, referTo));
    }
}
