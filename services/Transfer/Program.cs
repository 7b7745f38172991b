using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Hosting;
using Trunk.Transfer;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("transfer");
builder.AddTransfer();

return await builder.RunServiceAsync();

/// <summary>The Transfer host; public so that tests can start it.</summary>
public partial class Program;
