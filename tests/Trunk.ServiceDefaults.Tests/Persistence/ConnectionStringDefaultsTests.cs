using Npgsql;
using Trunk.ServiceDefaults.Persistence;

namespace Trunk.ServiceDefaults.Tests.Persistence;

/// <summary>Every service's Marten connection prepares its repeated statements, unless the operator's connection string says otherwise.</summary>
public sealed class AutoPrepareTests
{
    [Fact]
    public void When_the_connection_string_sets_no_preparation_Should_prepare_statements_used_twice()
    {
        var prepared = new NpgsqlConnectionStringBuilder(MartenExtensions.AutoPrepared("Host=db;Username=trunk;Password=secret;Database=trunk"));

        Assert.Equal((64, 2), (prepared.MaxAutoPrepare, prepared.AutoPrepareMinUsages));
        Assert.Equal(("db", "trunk", "secret"), (prepared.Host, prepared.Database, prepared.Password));
    }

    [Fact]
    public void When_the_connection_string_sets_its_own_preparation_Should_keep_it()
    {
        var kept = new NpgsqlConnectionStringBuilder(MartenExtensions.AutoPrepared("Host=db;Max Auto Prepare=8;Auto Prepare Min Usages=5"));

        Assert.Equal((8, 5), (kept.MaxAutoPrepare, kept.AutoPrepareMinUsages));
    }
}
