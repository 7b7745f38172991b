using Trunk.Sip.Messages;

namespace Trunk.Signaling.Calls;

/// <summary>E.164 normalisation of the numbers in SIP URIs: the DID of a Request-URI, the caller of From or P-Asserted-Identity.</summary>
internal static class PhoneNumbers
{
    /// <summary><c>+</c> and digits only, visual separators dropped; a leading <c>00</c> becomes <c>+</c>; null when it is no number.</summary>
    public static string? Normalise(string? user)
    {
        if (string.IsNullOrWhiteSpace(user))
        {
            return null;
        }

        var number = user.Split(';', 2)[0];
        var digits = new string([.. number.Where(char.IsAsciiDigit)]);
        if (digits.Length is 0 or > 15 || number.Any(c => !char.IsAsciiDigit(c) && c is not ('+' or '-' or '.' or '(' or ')' or ' ')))
        {
            return null;
        }

        if (number.StartsWith('+'))
        {
            return "+" + digits;
        }

        return digits.StartsWith("00", StringComparison.Ordinal) ? "+" + digits[2..] : "+" + digits;
    }

    /// <summary>The caller's number: the first P-Asserted-Identity with a number, else From; the raw user part when neither is a number.</summary>
    public static string Caller(SipRequest invite)
    {
        foreach (var identity in invite.GetPAssertedIdentities() ?? [])
        {
            if (Normalise(identity.Uri.User) is { } asserted)
            {
                return asserted;
            }
        }

        return Normalise(invite.From?.Uri.User) ?? invite.From?.Uri.User ?? "anonymous";
    }
}
