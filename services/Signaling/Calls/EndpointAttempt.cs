namespace Trunk.Signaling.Calls;

/// <summary>How one INVITE to a termination URI ended.</summary>
internal sealed record EndpointAttempt(bool Answered, int StatusCode, string? Reason);
