using Trunk.CallHistory;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("callhistory");
builder.AddCallHistory();

return await builder.RunServiceAsync(app => app.MapCallHistoryApi());

/// <summary>The CallHistory host; public so that tests can start it.</summary>
public partial class Program;
