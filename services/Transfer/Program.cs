using MassTransit;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Hosting;
using Trunk.ServiceDefaults.Messaging;
using Trunk.ServiceDefaults.Persistence;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("transfer");
builder.AddTrunkBus(bus => bus.AddConsumers(typeof(Program).Assembly));
builder.AddTrunkMarten();

return await builder.RunServiceAsync();

/// <summary>The Transfer host; public so that tests can start it.</summary>
public partial class Program;
