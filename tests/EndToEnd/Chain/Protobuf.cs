namespace Trunk.EndToEnd.Tests.Chain;

/// <summary>The protobuf wire format, read only: varints, 64- and 32-bit fixed values, length-delimited fields.</summary>
internal static class Protobuf
{
    private const int LengthDelimited = 2;

    /// <summary>Every field: its number, wire type, its bytes when length-delimited, and its number value otherwise.</summary>
    public static IEnumerable<(int Field, int WireType, ReadOnlyMemory<byte> Bytes, ulong Number)> Fields(ReadOnlyMemory<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var tag = Varint(message.Span, ref position);
            var field = (int)(tag >> 3);
            var wireType = (int)(tag & 7);
            switch (wireType)
            {
                case 0:
                    yield return (field, wireType, ReadOnlyMemory<byte>.Empty, Varint(message.Span, ref position));
                    break;
                case 1:
                    yield return (field, wireType, ReadOnlyMemory<byte>.Empty, BitConverter.ToUInt64(message.Span.Slice(position, 8)));
                    position += 8;
                    break;
                case LengthDelimited:
                    var length = (int)Varint(message.Span, ref position);
                    yield return (field, wireType, message.Slice(position, length), 0);
                    position += length;
                    break;
                case 5:
                    yield return (field, wireType, ReadOnlyMemory<byte>.Empty, BitConverter.ToUInt32(message.Span.Slice(position, 4)));
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {wireType} of field {field}.");
            }
        }
    }

    /// <summary>The length-delimited fields only (embedded messages, strings, bytes).</summary>
    public static IEnumerable<(int Field, ReadOnlyMemory<byte> Value)> Messages(ReadOnlyMemory<byte> message) =>
        Fields(message).Where(f => f.WireType == LengthDelimited).Select(f => (f.Field, f.Bytes));

    private static ulong Varint(ReadOnlySpan<byte> bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
