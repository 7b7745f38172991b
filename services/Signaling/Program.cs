using MassTransit;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Hosting;
using Trunk.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("signaling");
builder.AddTrunkBus(bus => bus.AddConsumers(typeof(Program).Assembly));

return await builder.RunServiceAsync();

/// <summary>The Signaling host; public so that tests can start it.</summary>
public partial class Program;
