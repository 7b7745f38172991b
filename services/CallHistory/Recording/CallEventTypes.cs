using System.Reflection;
using Trunk.Contracts;

namespace Trunk.CallHistory.Recording;

/// <summary>
/// Every concrete call event of the contracts assembly. A consumer of <see cref="ICallEvent"/> itself would receive a
/// proxy of the interface, not the record, so CallHistory consumes each concrete type.
/// </summary>
public static class CallEventTypes
{
    public static IReadOnlyList<Type> All { get; } = typeof(ICallEvent).Assembly.GetExportedTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICallEvent).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToArray();

    /// <summary>Calls <c>register&lt;TEvent&gt;()</c> for each type, where <paramref name="register"/> is a generic method definition.</summary>
    public static void ForEach(MethodInfo register, object?[] arguments)
    {
        ArgumentNullException.ThrowIfNull(register);
        foreach (var type in All)
        {
            register.MakeGenericMethod(type).Invoke(null, arguments);
        }
    }
}
