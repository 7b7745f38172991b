using System;
using System.Collections.Generic;

namespace Trunk.Contracts.Policy;

/// <summary>
/// Policy changed or removed a trunk; Signaling drops or refreshes its cached copy. Not about one call, so
/// <see cref="CallId"/> is <see cref="Guid.Empty"/>. <see cref="ReleasedDids"/> are numbers the trunk no longer owns.
/// </summary>
public sealed record TrunkChanged(
    Guid CallId,
    DateTimeOffset At,
    TrunkSettings Trunk,
    bool Removed,
    IReadOnlyList<string> ReleasedDids) : ICallMessage;
