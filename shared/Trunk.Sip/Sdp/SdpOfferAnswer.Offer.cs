namespace Trunk.Sip.Sdp;

public static partial class SdpOfferAnswer
{
    private const int FirstDynamicPayloadType = 96;

    /// <summary>
    /// An audio offer (RFC 3264 §5): static payload types where RFC 3551 assigns one, dynamic ones
    /// from 96 otherwise, an rtpmap for every format, then telephone-event, ptime and direction.
    /// </summary>
    public static SdpSessionDescription CreateOffer(SdpOfferOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var maps = new List<SdpRtpMap>();
        var nextDynamic = FirstDynamicPayloadType;
        foreach (var codec in options.Codecs.Distinct())
        {
            var payloadType = SdpStaticPayloadTypes.FindFor(codec.EncodingName, codec.ClockRate, codec.Channels)?.PayloadType;
            if (payloadType is null)
            {
                while (nextDynamic == options.TelephoneEventPayloadType)
                {
                    nextDynamic++;
                }

                payloadType = nextDynamic++;
            }

            maps.Add(codec.ToRtpMap(payloadType.Value));
        }

        var attributes = new List<SdpAttribute>();
        foreach (var (map, codec) in maps.Zip(options.Codecs.Distinct()))
        {
            attributes.Add(map.ToAttribute());
            if (codec.FormatParameters is { } parameters)
            {
                attributes.Add(new SdpFmtp(SdpNumbers.Format(map.PayloadType), parameters).ToAttribute());
            }
        }

        if (options.TelephoneEventPayloadType is { } tePayloadType)
        {
            var te = new SdpRtpMap(tePayloadType, SdpRtpMap.TelephoneEvent, 8000);
            maps.Add(te);
            attributes.Add(te.ToAttribute());
            attributes.Add(new SdpFmtp(SdpNumbers.Format(tePayloadType), options.TelephoneEvents).ToAttribute());
        }

        if (options.Ptime is { } ptime)
        {
            attributes.Add(new SdpAttribute("ptime", SdpNumbers.Format(ptime)));
        }

        attributes.Add(new SdpAttribute(options.Direction.ToAttributeName()));
        var audio = new SdpMediaDescription(
            SdpMediaDescription.Audio,
            options.AudioPort,
            SdpMediaDescription.RtpAvp,
            [.. maps.Select(m => SdpNumbers.Format(m.PayloadType))])
        {
            Attributes = attributes,
        };
        return new SdpSessionDescription(options.Origin, options.SessionName)
        {
            Connection = SdpConnection.For(options.Address),
            Media = [audio],
        };
    }

    /// <summary>
    /// Reads the peer's answer to our offer (RFC 3264 §7): the first audio stream the answer kept,
    /// the codecs it chose (its first is what it will send), telephone-event and its address.
    /// Null when the answer refused every audio stream.
    /// </summary>
    public static SdpNegotiatedAudio? ReadAnswer(SdpSessionDescription offer, SdpSessionDescription answer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(answer);
        var count = Math.Min(offer.Media.Count, answer.Media.Count);
        for (var index = 0; index < count; index++)
        {
            var offered = offer.Media[index];
            var answered = answer.Media[index];
            if (offered.Media != SdpMediaDescription.Audio || answered.IsRejected || offered.IsRejected)
            {
                continue;
            }

            // RFC 3264 §6.1: the answer may only list formats of the offer; a map missing from the answer falls back to ours.
            var codecs = answered.PayloadTypes
                .Where(offered.PayloadTypes.Contains)
                .Select(pt => answered.GetRtpMap(pt) ?? offered.GetRtpMap(pt))
                .OfType<SdpRtpMap>()
                .ToList();
            var audioCodecs = codecs.Where(m => !m.IsTelephoneEvent).ToList();
            if (audioCodecs.Count == 0)
            {
                continue;
            }

            var connection = answer.GetConnection(answered);
            var direction = answer.GetDirection(answered);
            if (connection?.IsNullAddress == true)
            {
                direction &= ~SdpDirection.RecvOnly;
            }

            return new SdpNegotiatedAudio(
                index,
                audioCodecs,
                FindTelephoneEvent(codecs, audioCodecs[0].ClockRate),
                answered.Ptime ?? offered.Ptime,
                direction.Reverse() & offer.GetDirection(offered),
                connection,
                answered.Port)
            {
                RemoteRtcpPort = answered.Rtcp?.Port ?? answered.Port + 1,
            };
        }

        return null;
    }
}
