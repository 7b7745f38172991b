using System.Text.RegularExpressions;
using Trunk.Contracts.Policy;
using Trunk.Numbering;
using Trunk.Policy.Api;

namespace Trunk.Policy.Trunks;

/// <summary>Body of <c>POST /accounts/{id}/trunks</c> and <c>PUT /trunks/{id}</c>; DIDs are taken on create only.</summary>
public sealed record TrunkRequest(
    Guid? Id,
    string? Domain,
    IReadOnlyList<string>? Dids,
    IReadOnlyList<string>? TerminationUris,
    string? CarrierGateway,
    int? RingTimeoutSeconds,
    MediaMode? Media,
    int? CallsPerSecond,
    bool? SipTraceEnabled);

internal static partial class TrunkValidation
{
    public const int DefaultRingTimeoutSeconds = 30;
    public const int DefaultCallsPerSecond = 10;

    public static FieldErrors Validate(TrunkRequest request)
    {
        var errors = new FieldErrors()
            .Check(request.Domain is null || HostName().IsMatch(request.Domain), "domain", "Must be a DNS name such as acme.trunk.example.")
            .Check(request.TerminationUris is { Count: > 0 }, "terminationUris", "At least one sip: or sips: URI is required.")
            .Check(IsSipUri(request.CarrierGateway), "carrierGateway", "A sip: or sips: URI is required.")
            .Check(request.RingTimeoutSeconds is null or (>= 1 and <= 300), "ringTimeoutSeconds", "Must be 1 to 300.")
            .Check(request.CallsPerSecond is null or (>= 1 and <= 10_000), "callsPerSecond", "Must be 1 to 10000.");
        for (var i = 0; i < (request.TerminationUris?.Count ?? 0); i++)
        {
            errors.Check(IsSipUri(request.TerminationUris![i]), $"terminationUris[{i}]", "Must be a sip: or sips: URI.");
        }

        for (var i = 0; i < (request.Dids?.Count ?? 0); i++)
        {
            var did = PhoneNumberRules.TryParse(request.Dids![i], out var error);
            errors.Check(did is not null, $"dids[{i}]", $"The number {error}.");
        }

        return errors;
    }

    public static IReadOnlyList<string> NormalizedDids(IEnumerable<string>? dids) =>
        (dids ?? []).Select(d => PhoneNumberRules.TryParse(d, out _)!.E164).Distinct(StringComparer.Ordinal).ToList();

    private static bool IsSipUri(string? value) =>
        value is not null && SipUri().IsMatch(value);

    [GeneratedRegex(@"^sips?:([^@\s]+@)?[A-Za-z0-9.\-\[\]:]+(;[^\s]*)?$")]
    private static partial Regex SipUri();

    [GeneratedRegex(@"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")]
    private static partial Regex HostName();
}
