namespace Trunk.Sip.Tests.Messages;

/// <summary>
/// A seeded mutator for parser fuzzing: bit flips, byte inserts and deletes, header line
/// duplication, truncation, oversized numbers and CRLF games (bare LF, lone CR, folds, extra empty lines).
/// </summary>
internal sealed class SipMessageMutator(int seed)
{
    private static readonly byte[] Interesting = "\r\n \t:;,\"<>@%\\[]=?&0-9*/\0\u007f\u00ff"u8.ToArray();

    private static readonly byte[][] Fragments =
    [
        "\r\n"u8.ToArray(), "\n"u8.ToArray(), "\r"u8.ToArray(), "\r\n "u8.ToArray(), "\r\n\r\n"u8.ToArray(),
        "4294967296"u8.ToArray(), "99999999999999999999"u8.ToArray(), "-1"u8.ToArray(), "\"unterminated"u8.ToArray(),
        ";;,;,,"u8.ToArray(), "<sip:"u8.ToArray(), "[::1"u8.ToArray(), "%00"u8.ToArray(), "%"u8.ToArray(),
        "Content-Length: 70000\r\n"u8.ToArray(), "v: SIP/2.0/UDP h\r\n"u8.ToArray(), "SIP/2.0 "u8.ToArray(),
    ];

    private readonly Random _random = new(seed);

    public byte[] Mutate(byte[] seedMessage)
    {
        var data = new List<byte>(seedMessage);
        var rounds = 1 + _random.Next(4);
        for (var i = 0; i < rounds; i++)
        {
            Apply(data);
        }

        return [.. data];
    }

    private void Apply(List<byte> data)
    {
        if (data.Count == 0)
        {
            data.AddRange(Fragments[_random.Next(Fragments.Length)]);
            return;
        }

        var at = _random.Next(data.Count);
        switch (_random.Next(9))
        {
            case 0:
                data[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1:
                data.Insert(at, Interesting[_random.Next(Interesting.Length)]);
                break;
            case 2:
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + _random.Next(8)));
                break;
            case 3:
                data.InsertRange(at, Fragments[_random.Next(Fragments.Length)]);
                break;
            case 4:
                data.RemoveRange(at, data.Count - at);
                break;
            case 5:
                DuplicateLine(data, at);
                break;
            case 6:
                ReplaceCrlf(data, at);
                break;
            case 7:
                data[at] = Interesting[_random.Next(Interesting.Length)];
                break;
            default:
                data.InsertRange(at, data.GetRange(at, Math.Min(data.Count - at, _random.Next(64))));
                break;
        }
    }

    private void DuplicateLine(List<byte> data, int at)
    {
        var start = data.LastIndexOf((byte)'\n', at) + 1;
        var end = data.IndexOf((byte)'\n', at);
        if (end > start)
        {
            data.InsertRange(start, data.GetRange(start, end - start + 1));
        }
    }

    private void ReplaceCrlf(List<byte> data, int at)
    {
        var cr = data.IndexOf((byte)'\r', at);
        if (cr >= 0 && cr + 1 < data.Count && data[cr + 1] == (byte)'\n')
        {
            var replacement = Fragments[_random.Next(5)];
            data.RemoveRange(cr, 2);
            data.InsertRange(cr, replacement);
        }
    }
}
