using System.Reflection;
using Trunk.Contracts;

namespace Trunk.Contracts.Tests;

/// <summary>Every message of the contracts assembly, found by reflection so a new contract is covered without a new test.</summary>
internal static class ContractCatalog
{
    public static IReadOnlyList<Type> Messages { get; } = typeof(ICallMessage).Assembly.GetExportedTypes()
        .Where(type => type is { IsClass: true, IsAbstract: false } && typeof(ICallMessage).IsAssignableFrom(type))
        .OrderBy(type => type.FullName, StringComparer.Ordinal)
        .ToArray();

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var type in Messages)
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    public static Type Find(string fullName) => Messages.Single(type => type.FullName == fullName);

    /// <summary>Records whose properties are neither primitives, enums, nor lists, nor records of the same assembly.</summary>
    public static IEnumerable<PropertyInfo> UnsupportedProperties(Type type) =>
        type.GetProperties().Where(property => !SampleValues.CanCreate(property.PropertyType));
}
