namespace Trunk.Sip.Sdp;

/// <summary>The offer/answer model of RFC 3264 for a voice trunk: one audio stream, everything else refused.</summary>
public static partial class SdpOfferAnswer
{
    /// <summary>
    /// Answers <paramref name="offer"/> (RFC 3264 §6): the first acceptable audio stream gets the
    /// best common codec by our preference, in the offerer's payload type numbers (§6.1), with
    /// telephone-event matched on its own; every other stream is refused with port 0 (§6).
    /// </summary>
    public static SdpAnswerResult Answer(SdpSessionDescription offer, SdpAnswerOptions options)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(options);
        var media = new List<SdpMediaDescription>(offer.Media.Count);
        SdpNegotiatedAudio? audio = null;
        string? refusal = null;
        for (var index = 0; index < offer.Media.Count; index++)
        {
            var offered = offer.Media[index];
            if (audio is null && IsAudioCandidate(offered, options, ref refusal)
                && TryNegotiate(offer, offered, index, options, ref refusal) is { } negotiated)
            {
                audio = negotiated;
                media.Add(BuildAnsweredAudio(offered, negotiated, options));
            }
            else
            {
                media.Add(Refuse(offered));
            }
        }

        if (audio is null)
        {
            return new SdpAnswerResult.NoCommonCodec(refusal ?? "the offer has no audio stream");
        }

        var answer = new SdpSessionDescription(options.Origin, options.SessionName)
        {
            Connection = SdpConnection.For(options.Address),
            Media = media,
        };
        if (options.PreviousAnswer is { } previous)
        {
            answer = SdpVersioning.Follow(previous, answer);
        }

        return new SdpAnswerResult.Accepted(answer, audio);
    }

    /// <summary>A refused stream keeps its media type, protocol and formats with port 0 (RFC 3264 §6).</summary>
    internal static SdpMediaDescription Refuse(SdpMediaDescription offered) =>
        new(offered.Media, 0, offered.Protocol, offered.Formats);

    private static bool IsAudioCandidate(SdpMediaDescription offered, SdpAnswerOptions options, ref string? refusal)
    {
        if (offered.Media != SdpMediaDescription.Audio || offered.IsRejected)
        {
            return false;
        }

        if (!options.Protocols.Contains(offered.Protocol, StringComparer.OrdinalIgnoreCase))
        {
            refusal = $"the audio stream uses {offered.Protocol}, which is not supported";
            return false;
        }

        return true;
    }

    private static SdpNegotiatedAudio? TryNegotiate(
        SdpSessionDescription offer,
        SdpMediaDescription offered,
        int index,
        SdpAnswerOptions options,
        ref string? refusal)
    {
        var offeredMaps = offered.RtpMaps;
        var common = options.Codecs
            .Select(codec => offeredMaps.FirstOrDefault(map => !map.IsTelephoneEvent && codec.Matches(map)))
            .OfType<SdpRtpMap>()
            .Distinct()
            .ToList();
        if (common.Count == 0)
        {
            var codecs = offeredMaps.Where(m => !m.IsTelephoneEvent).Select(m => $"{m.EncodingName}/{m.ClockRate}");
            refusal = $"no common codec: offered {string.Join(", ", codecs)}; supported {string.Join(", ", options.Codecs)}";
            return null;
        }

        var chosen = options.AnswerAllCommonCodecs ? common : common.Take(1).ToList();
        var telephoneEvent = options.AcceptTelephoneEvent ? FindTelephoneEvent(offeredMaps, chosen[0].ClockRate) : null;
        var connection = offer.GetConnection(offered);
        var offerDirection = offer.GetDirection(offered);
        if (connection?.IsNullAddress == true)
        {
            // RFC 3264 §8.4: 0.0.0.0 means send neither RTP nor RTCP to the offerer.
            offerDirection &= ~SdpDirection.RecvOnly;
        }

        return new SdpNegotiatedAudio(
            index,
            chosen,
            telephoneEvent,
            offered.Ptime ?? options.Ptime,
            offerDirection.Reverse() & options.Direction,
            connection,
            offered.Port)
        {
            RemoteRtcpPort = offered.Rtcp?.Port ?? offered.Port + 1,
        };
    }

    /// <summary>
    /// RFC 4733 §2.5.1.1: the event clock must be the audio codec's, so prefer the telephone-event
    /// at the chosen codec's rate and accept another rate only when the offer has no such one.
    /// </summary>
    internal static SdpRtpMap? FindTelephoneEvent(IReadOnlyList<SdpRtpMap> maps, int clockRate)
    {
        var events = maps.Where(m => m.IsTelephoneEvent).ToList();
        return events.FirstOrDefault(m => m.ClockRate == clockRate) ?? events.FirstOrDefault();
    }

    private static SdpMediaDescription BuildAnsweredAudio(
        SdpMediaDescription offered,
        SdpNegotiatedAudio audio,
        SdpAnswerOptions options)
    {
        var maps = audio.TelephoneEvent is { } te ? [.. audio.Codecs, te] : audio.Codecs;
        var attributes = new List<SdpAttribute>();
        foreach (var map in maps)
        {
            attributes.Add(map.ToAttribute());
            if (offered.GetFmtp(map.PayloadType) is { } fmtp)
            {
                attributes.Add(fmtp.ToAttribute());
            }
        }

        if (audio.Ptime is { } ptime)
        {
            attributes.Add(new SdpAttribute("ptime", SdpNumbers.Format(ptime)));
        }

        attributes.Add(new SdpAttribute(audio.Direction.ToAttributeName()));
        return new SdpMediaDescription(
            SdpMediaDescription.Audio,
            options.AudioPort,
            offered.Protocol,
            [.. maps.Select(m => SdpNumbers.Format(m.PayloadType))])
        {
            Attributes = attributes,
        };
    }
}
