using System.Text;
using Trunk.Sip.Messages;

namespace Trunk.Sip.Tests.Messages.Torture;

/// <summary>RFC 4475 and RFC 5118 torture messages, one case per file, driven by <see cref="TortureCases"/>.</summary>
public sealed class TortureTests
{
    // File names as theory data so that xunit lists one case per file.
    public static TheoryData<string> Rfc4475Files => new(TortureCases.Rfc4475.Select(c => c.File));

    public static TheoryData<string> Rfc5118Files => new(TortureCases.Rfc5118.Select(c => c.File));

    public static TheoryData<string> Rfc5118SdpFiles => new(TortureCases.Rfc5118WithSdp);

    [Fact]
    public void Should_list_every_RFC_4475_message_once()
    {
        var files = Directory.GetFiles(DataPath("rfc4475"), "*.dat").Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(49, TortureCases.Rfc4475.Length);
        Assert.Equal(files, TortureCases.Rfc4475.Select(c => c.File).Order(StringComparer.Ordinal));
        Assert.Equal(13, TortureCases.Rfc4475.Count(c => c.Class == TortureClass.Valid));
        Assert.Equal(19, TortureCases.Rfc4475.Count(c => c.Class == TortureClass.Invalid));
        Assert.Equal(15, TortureCases.Rfc4475.Count(c => c.Class == TortureClass.Application));
    }

    [Theory]
    [MemberData(nameof(Rfc4475Files))]
    public void Rfc4475_message_gets_the_outcome_of_its_section(string file) =>
        AssertOutcome(TortureCases.Rfc4475.Single(c => c.File == file), File.ReadAllBytes(Path.Combine(DataPath("rfc4475"), file)));

    [Theory]
    [MemberData(nameof(Rfc5118Files))]
    public void Rfc5118_message_gets_the_outcome_of_its_section(string file) =>
        AssertOutcome(TortureCases.Rfc5118.Single(c => c.File == file), File.ReadAllBytes(Path.Combine(DataPath("rfc5118"), file)));

    [Theory]
    [MemberData(nameof(Rfc5118SdpFiles))]
    public void Rfc5118_SDP_message_with_its_Content_Length_corrected_is_accepted(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(DataPath("rfc5118"), file));
        var split = bytes.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
        var head = Encoding.ASCII.GetString(bytes, 0, split);
        var declared = head[(head.IndexOf("Content-Length: ", StringComparison.Ordinal) + 16)..].Split("\r\n")[0];
        var corrected = head.Replace($"Content-Length: {declared}\r\n", $"Content-Length: {bytes.Length - split}\r\n", StringComparison.Ordinal);

        AssertOutcome(new TortureCase(file, "4", TortureClass.Valid, TortureCase.Accepted), [.. Encoding.ASCII.GetBytes(corrected), .. bytes.AsSpan(split)]);
    }

    internal static string DataPath(string rfc) => Path.Combine(AppContext.BaseDirectory, "TestData", "sip-torture", rfc);

    private static void AssertOutcome(TortureCase torture, byte[] bytes)
    {
        Assert.Equal(torture.Expected, Outcome(bytes, forwards: false));
        if (torture.WhenForwarding is { } forwarding)
        {
            Assert.Equal(forwarding, Outcome(bytes, forwards: true));
        }

        if (torture.Expected is TortureCase.Accepted or 501 or 416 or 415 or 420 or 406)
        {
            AssertRoundTrip(SipMessageParser.Parse(bytes));
        }
    }

    private static int Outcome(byte[] bytes, bool forwards)
    {
        if (!SipMessageParser.TryParse(bytes, out var message, out var error))
        {
            Assert.False(string.IsNullOrWhiteSpace(error.Reason));
            return error.CanRespond ? error.StatusCode : TortureCase.Dropped;
        }

        if (message is not SipRequest request)
        {
            return TortureCase.Accepted;
        }

        var failure = SipRequestValidator.Validate(request, SipValidationOptions.Default with { ForwardsRequests = forwards });
        if (failure is null)
        {
            return TortureCase.Accepted;
        }

        var response = failure.CreateResponse(request, "uas-tag");
        Assert.Equal(failure.StatusCode, response.StatusCode);
        Assert.True(SipMessageParser.TryParse(response.ToBytes(), out _, out _));
        return failure.StatusCode;
    }

    // Serialize → parse gives the same start line, headers (Content-Length aside: the serializer
    // always writes the real one), typed views and body.
    private static void AssertRoundTrip(SipMessage original)
    {
        var reparsed = SipMessageParser.Parse(original.ToBytes());

        Assert.Equal(original.GetType(), reparsed.GetType());
        if (original is SipRequest request)
        {
            var again = (SipRequest)reparsed;
            Assert.Equal(request.Method, again.Method);
            Assert.Equal(request.RequestUri.ToString(), again.RequestUri.ToString());
            Assert.Equal(request.RequestUri, again.RequestUri);
        }
        else
        {
            var response = (SipResponse)original;
            Assert.Equal(response.StatusCode, ((SipResponse)reparsed).StatusCode);
            Assert.Equal(response.ReasonPhrase, ((SipResponse)reparsed).ReasonPhrase);
        }

        Assert.Equal(WithoutContentLength(original.Headers), WithoutContentLength(reparsed.Headers));
        Assert.Equal(original.Body.ToArray(), reparsed.Body.ToArray());
        Assert.Equal(original.From, reparsed.From);
        Assert.Equal(original.To, reparsed.To);
        Assert.Equal(original.CSeq, reparsed.CSeq);
        Assert.Equal(original.Vias, reparsed.Vias);
        Assert.Equal(original.Contacts, reparsed.Contacts);
        Assert.Equal(original.Body.Length, reparsed.ContentLength);
    }

    private static SipHeaders WithoutContentLength(SipHeaders headers) => headers.Remove(SipHeaderNames.ContentLength);
}
