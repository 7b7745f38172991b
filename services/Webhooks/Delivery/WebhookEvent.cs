namespace Trunk.Webhooks.Delivery;

/// <summary>
/// The JSON body of one webhook: <see cref="Type"/> is <c>transfer.accepted</c>, <c>transfer.ringing</c>,
/// <c>transfer.completed</c> or <c>transfer.failed</c>; <see cref="SipCode"/> is what the endpoint's NOTIFY said
/// (202 accepted, 180/183 ringing, 200 completed, the failure's code). <see cref="Id"/> is the same on every retry
/// and redelivery: receivers deduplicate on it.
/// </summary>
public sealed record WebhookEvent(
    Guid Id,
    string Type,
    DateTimeOffset OccurredAt,
    Guid AccountId,
    Guid CallId,
    Guid TransferId,
    string? TargetNumber,
    int SipCode,
    string? Reason = null,
    bool? EarlyMedia = null)
{
    public const string Accepted = "transfer.accepted";
    public const string Ringing = "transfer.ringing";
    public const string Completed = "transfer.completed";
    public const string Failed = "transfer.failed";
}

/// <summary>The account and target of a transfer, learnt from its <c>ReferReceived</c> (transfer events carry neither).</summary>
public sealed record TransferAccount(Guid Id, Guid CallId, Guid AccountId, string TargetNumber);

/// <summary>A webhook the receiver acknowledged (2xx); a redelivered event finds it and is not sent again.</summary>
public sealed record WebhookDelivery(Guid Id, Guid AccountId, string Type, int Attempts, DateTimeOffset DeliveredAt);

/// <summary>A webhook that failed every try: kept with its body so that an operator can resend it.</summary>
public sealed record DeadLetter(
    Guid Id,
    Guid AccountId,
    string Url,
    string Type,
    string Body,
    int Attempts,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset FailedAt);
