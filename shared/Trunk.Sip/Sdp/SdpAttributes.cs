namespace Trunk.Sip.Sdp;

internal static class SdpAttributes
{
    public static IReadOnlyList<SdpAttribute> WithDirection(IReadOnlyList<SdpAttribute> attributes, SdpDirection direction)
    {
        var replacement = new SdpAttribute(direction.ToAttributeName());
        var result = new List<SdpAttribute>(attributes.Count + 1);
        var placed = false;
        foreach (var attribute in attributes)
        {
            if (SdpDirectionExtensions.FromAttributeName(attribute.Name) is null)
            {
                result.Add(attribute);
            }
            else if (!placed)
            {
                result.Add(replacement);
                placed = true;
            }
        }

        if (!placed)
        {
            result.Add(replacement);
        }

        return result;
    }

    public static SdpDirection? DirectionOf(IReadOnlyList<SdpAttribute> attributes) =>
        attributes.Select(a => SdpDirectionExtensions.FromAttributeName(a.Name)).LastOrDefault(d => d is not null);
}
