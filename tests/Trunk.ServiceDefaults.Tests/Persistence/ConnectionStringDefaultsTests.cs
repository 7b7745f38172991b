using Npgsql;
using Trunk.ServiceDefaults.Persistence;

namespace Trunk.ServiceDefaults.Tests.Persistence;

/// <summary>
/// Every service's Marten connection prepares its repeated statements and names its service to PostgreSQL, unless the
/// operator's connection string says otherwise.
/// </summary>
public sealed class ConnectionStringDefaultsTests
{
    [Fact]
    public void When_the_connection_string_sets_no_preparation_Should_prepare_statements_used_twice()
    {
        var prepared = new NpgsqlConnectionStringBuilder(MartenExtensions.WithServiceDefaults("Host=db;Username=trunk;Password=secret;Database=trunk", "policy"));

        Assert.Equal((64, 2), (prepared.MaxAutoPrepare, prepared.AutoPrepareMinUsages));
        Assert.Equal(("db", "trunk", "secret"), (prepared.Host, prepared.Database, prepared.Password));
    }

    [Fact]
    public void When_the_connection_string_sets_its_own_preparation_Should_keep_it()
    {
        var kept = new NpgsqlConnectionStringBuilder(MartenExtensions.WithServiceDefaults("Host=db;Max Auto Prepare=8;Auto Prepare Min Usages=5", "policy"));

        Assert.Equal((8, 5), (kept.MaxAutoPrepare, kept.AutoPrepareMinUsages));
    }

    [Fact]
    public void When_the_connection_string_names_no_application_Should_name_the_service()
    {
        var named = new NpgsqlConnectionStringBuilder(MartenExtensions.WithServiceDefaults("Host=db;Database=trunk", "transfer"));

        Assert.Equal("transfer", named.ApplicationName);
    }

    [Fact]
    public void When_the_connection_string_names_its_application_Should_keep_it()
    {
        var kept = new NpgsqlConnectionStringBuilder(MartenExtensions.WithServiceDefaults("Host=db;Database=trunk;Application Name=transfer-eu-1", "transfer"));

        Assert.Equal("transfer-eu-1", kept.ApplicationName);
    }
}
