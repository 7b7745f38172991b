using Trunk.Policy;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("policy");
builder.AddPolicy();

return await builder.RunServiceAsync(app => app.MapPolicyApi());

/// <summary>The Policy host; public so that tests can start it.</summary>
public partial class Program;
