using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Hosting;
using Trunk.Signaling;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("signaling");
builder.AddSignaling();

return await builder.RunServiceAsync();

/// <summary>The Signaling host; public so that tests can start it.</summary>
public partial class Program;
