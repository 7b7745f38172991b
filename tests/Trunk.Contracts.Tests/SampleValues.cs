using System.Globalization;
using System.Reflection;

namespace Trunk.Contracts.Tests;

/// <summary>
/// Builds a message with a distinct, non-default value in every field, so a field that the bus drops or
/// mangles on the way cannot compare equal by accident.
/// </summary>
internal sealed class SampleValues
{
    private int _next = 1;

    public static bool CanCreate(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying.IsPrimitive || underlying.IsEnum
            || underlying == typeof(string) || underlying == typeof(Guid) || underlying == typeof(decimal)
            || underlying == typeof(DateTimeOffset) || underlying == typeof(TimeSpan)
            || IsList(underlying) || IsContractRecord(underlying);
    }

    public object Create(Type type)
    {
        var n = _next++;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying switch
        {
            _ when underlying == typeof(string) => $"value-{n}-\u00e9\u4e2d \"quoted\"",
            _ when underlying == typeof(Guid) => Guid.NewGuid(),
            _ when underlying == typeof(DateTimeOffset) => new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero).AddMilliseconds(n * 1001.5),
            _ when underlying == typeof(TimeSpan) => TimeSpan.FromMilliseconds(n * 1500.25),
            _ when underlying == typeof(decimal) => n + 0.0125m,
            _ when underlying == typeof(double) => n + 0.5,
            _ when underlying == typeof(bool) => n % 2 == 0,
            _ when underlying.IsEnum => Enum.GetValues(underlying).GetValue(n % Enum.GetValues(underlying).Length)!,
            _ when underlying.IsPrimitive => Convert.ChangeType(100 + n, underlying, CultureInfo.InvariantCulture),
            _ when IsList(underlying) => CreateList(underlying.GetGenericArguments()[0]),
            _ => CreateRecord(underlying),
        };
    }

    public object CreateRecord(Type type)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select(p => Create(p.ParameterType)).ToArray();
        return constructor.Invoke(arguments);
    }

    private object CreateList(Type elementType)
    {
        var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
        list.Add(Create(elementType));
        list.Add(Create(elementType));
        return list;
    }

    private static bool IsList(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) && CanCreate(type.GetGenericArguments()[0]);

    private static bool IsContractRecord(Type type) =>
        type.Assembly == typeof(ICallMessage).Assembly && type.IsClass && type.GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance) is not null;
}
