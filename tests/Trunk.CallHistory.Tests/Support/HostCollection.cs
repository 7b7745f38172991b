namespace Trunk.CallHistory.Tests.Support;

[CollectionDefinition(Name)]
public sealed class HostCollection : ICollectionFixture<CallHistoryHost>
{
    public const string Name = "CallHistory host";
}
