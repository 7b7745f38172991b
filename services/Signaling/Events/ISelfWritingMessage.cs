using System.Text.Json;
using Trunk.Contracts;

namespace Trunk.Signaling.Events;

/// <summary>
/// A call message that writes its own JSON into the envelope and is published as <see cref="PublishedAs"/>, the contract
/// consumers read it as. For a message whose contract form would cost what publishing it is meant to spare: a call's SIP
/// trace is kept as pooled bytes and written straight from them (<see cref="Tracing.SipTraceBatch"/>).
/// </summary>
internal interface ISelfWritingMessage : ICallMessage
{
    /// <summary>The contract type the JSON reads back as, whose exchange the message is published to.</summary>
    Type PublishedAs { get; }

    /// <summary>
    /// Writes the message as MassTransit's serializer writes <see cref="PublishedAs"/>. Called once: what the message kept
    /// for it (pooled buffers) is given back afterwards.
    /// </summary>
    void WriteTo(Utf8JsonWriter json);
}
