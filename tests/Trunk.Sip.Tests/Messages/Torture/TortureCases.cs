namespace Trunk.Sip.Tests.Messages.Torture;

/// <summary>
/// RFC 4475 (49 messages; test.dat is not in the RFC) and RFC 5118 (12 messages), with the outcome
/// each RFC section asks for. Where the RFC leaves a choice the comment says which one we take.
/// </summary>
internal static class TortureCases
{
    private const int Ok = TortureCase.Accepted;
    private const int Drop = TortureCase.Dropped;

    public static readonly TortureCase[] Rfc4475 =
    [
        new("wsinv.dat", "3.1.1.1", TortureClass.Valid, Ok),
        new("intmeth.dat", "3.1.1.2", TortureClass.Valid, 501), // parses; an endpoint answers the unknown method with 501
        new("esc01.dat", "3.1.1.3", TortureClass.Valid, Ok),
        new("escnull.dat", "3.1.1.4", TortureClass.Valid, Ok),
        new("esc02.dat", "3.1.1.5", TortureClass.Valid, 501), // RE%47IST%45R is not REGISTER
        new("lwsdisp.dat", "3.1.1.6", TortureClass.Valid, Ok),
        new("longreq.dat", "3.1.1.7", TortureClass.Valid, Ok),
        new("dblreq.dat", "3.1.1.8", TortureClass.Valid, Ok),
        new("semiuri.dat", "3.1.1.9", TortureClass.Valid, Ok),
        new("transports.dat", "3.1.1.10", TortureClass.Valid, Ok),
        new("mpart01.dat", "3.1.1.11", TortureClass.Valid, Ok),
        new("unreason.dat", "3.1.1.12", TortureClass.Valid, Ok),
        new("noreason.dat", "3.1.1.13", TortureClass.Valid, Ok),
        new("badinv01.dat", "3.1.2.1", TortureClass.Invalid, 400),
        new("clerr.dat", "3.1.2.2", TortureClass.Invalid, 400), // as a datagram
        new("ncl.dat", "3.1.2.3", TortureClass.Invalid, 400),
        new("scalar02.dat", "3.1.2.4", TortureClass.Invalid, 400),
        new("scalarlg.dat", "3.1.2.5", TortureClass.Invalid, Drop),
        new("quotbal.dat", "3.1.2.6", TortureClass.Invalid, 400),
        new("ltgtruri.dat", "3.1.2.7", TortureClass.Invalid, 400),
        new("lwsruri.dat", "3.1.2.8", TortureClass.Invalid, 400),
        new("lwsstart.dat", "3.1.2.9", TortureClass.Invalid, 400),
        new("trws.dat", "3.1.2.10", TortureClass.Invalid, 400),
        new("escruri.dat", "3.1.2.11", TortureClass.Invalid, 400),
        new("baddate.dat", "3.1.2.12", TortureClass.Invalid, Ok), // the RFC allows ignoring Date; we never interpret it
        new("regbadct.dat", "3.1.2.13", TortureClass.Invalid, 400),
        new("badaspec.dat", "3.1.2.14", TortureClass.Invalid, 400),
        new("baddn.dat", "3.1.2.15", TortureClass.Invalid, 400),
        new("badvers.dat", "3.1.2.16", TortureClass.Invalid, 505),
        new("mismatch01.dat", "3.1.2.17", TortureClass.Invalid, 400),
        new("mismatch02.dat", "3.1.2.18", TortureClass.Invalid, 501),
        new("bigcode.dat", "3.1.2.19", TortureClass.Invalid, Drop),
        new("badbranch.dat", "3.2.1", TortureClass.Transaction, Ok), // parsed; the transaction layer falls back to RFC 2543 matching
        new("insuf.dat", "3.3.1", TortureClass.Application, 400),
        new("unkscm.dat", "3.3.2", TortureClass.Application, 416),
        new("novelsc.dat", "3.3.3", TortureClass.Application, 416), // soap.beep is never acceptable to a trunk
        new("unksm2.dat", "3.3.4", TortureClass.Application, Ok), // we are no registrar: the To scheme is not ours to refuse
        new("bext01.dat", "3.3.5", TortureClass.Application, 420),
        new("invut.dat", "3.3.6", TortureClass.Application, 415),
        new("regaut01.dat", "3.3.7", TortureClass.Application, Ok), // parsed; the TU ignores the unknown scheme or answers 405
        new("multi01.dat", "3.3.8", TortureClass.Application, 400),
        new("mcl01.dat", "3.3.9", TortureClass.Application, 400),
        new("bcast.dat", "3.3.10", TortureClass.Application, Ok), // parsed; no transaction matches it, so the endpoint discards it
        new("zeromf.dat", "3.3.11", TortureClass.Application, Ok, WhenForwarding: 483), // an endpoint processes it; a proxy or B2BUA leg answers 483
        new("cparam01.dat", "3.3.12", TortureClass.Application, Ok),
        new("cparam02.dat", "3.3.13", TortureClass.Application, Ok),
        new("regescrt.dat", "3.3.14", TortureClass.Application, Ok),
        new("sdp01.dat", "3.3.15", TortureClass.Application, 406),
        new("inv2543.dat", "3.4.1", TortureClass.BackwardCompatible, Ok),
    ];

    public static readonly TortureCase[] Rfc5118 =
    [
        new("ipv6-good.dat", "4.1", TortureClass.Valid, Ok),
        new("ipv6-bad.dat", "4.2", TortureClass.Invalid, 400),
        new("port-ambiguous.dat", "4.3", TortureClass.Valid, Ok),
        new("port-unambiguous.dat", "4.4", TortureClass.Valid, Ok),
        new("via-received-param-with-delim.dat", "4.5", TortureClass.Valid, Ok),
        new("via-received-param-no-delim.dat", "4.5", TortureClass.Valid, Ok),
        new("ipv6-in-sdp.dat", "4.6", TortureClass.Valid, 400), // as shipped its Content-Length exceeds the datagram (see README)
        new("mult-ip-in-header.dat", "4.7", TortureClass.Valid, Ok),
        new("mult-ip-in-sdp.dat", "4.8", TortureClass.Valid, Ok),
        new("ipv4-mapped-ipv6.dat", "4.9", TortureClass.Valid, Ok),
        new("ipv6-bug-abnf-3-colons.dat", "4.10", TortureClass.Valid, Ok),
        new("ipv6-correct-abnf-2-colons.dat", "4.10", TortureClass.Valid, Ok),
    ];

    /// <summary>The RFC 5118 messages whose Content-Length the RFC got wrong (README): corrected, all must be accepted.</summary>
    public static readonly string[] Rfc5118WithSdp = ["ipv6-in-sdp.dat", "mult-ip-in-sdp.dat", "ipv4-mapped-ipv6.dat"];
}
