namespace Trunk.Policy.Numbers;

/// <summary>The digits of a dialled string, for prefix look-ups.</summary>
public static class Digits
{
    public static string Of(string? number) => number is null ? "" : string.Concat(number.Where(char.IsAsciiDigit));
}
