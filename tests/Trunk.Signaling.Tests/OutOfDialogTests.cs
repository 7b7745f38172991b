using Trunk.Signaling.Tests.Support;
using Trunk.Testing.Sip;
using static Trunk.Testing.Sip.TransferScenarios;

namespace Trunk.Signaling.Tests;

/// <summary>Requests outside any call: OPTIONS, unsupported methods, Max-Forwards 0, and a REFER for a dialog we do not know.</summary>
[Collection(SignalingCollection.Name)]
public sealed class OutOfDialogTests(SignalingFixture fixture)
{
    [Theory]
    [InlineData("OPTIONS", "70", "", "200", "Supported: norefersub, replaces")]
    [InlineData("OPTIONS", "70", "", "200", "Allow: [^\\r]*REFER")]
    [InlineData("SUBSCRIBE", "70", "", "405", "Allow: INVITE, ACK, CANCEL, BYE")]
    [InlineData("MESSAGE", "70", "", "405", "Allow: ")]
    [InlineData("OPTIONS", "0", "", "483", ".*")]
    [InlineData("REFER", "70", ";tag=unknown-dialog", "481", ".*")]
    public async Task When_a_request_arrives_outside_a_call_Should_answer_as_RFC_3261_says(string method, string maxForwards, string toTag, string code, string regex)
    {
        var values = Values(("METHOD", method), ("MAX_FORWARDS", maxForwards), ("TO_TAG", toTag), ("CODE", code), ("HEADER_REGEX", regex),
            ("EXTRA_HEADERS", method == "REFER" ? "      Refer-To: <sip:+4930999@" + TrunkWorld.Domain + ">" : string.Empty));
        await using var probe = Sipp.Client(Scenario.Write("request_out_of_dialog.xml", values), fixture.SipPort, TrunkWorld.NewDid());

        await probe.AssertPassedAsync($"{method} probe", fixture.Diagnostics);
    }
}
