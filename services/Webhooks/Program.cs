using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Hosting;
using Trunk.Webhooks;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("webhooks");
builder.AddWebhooks();

return await builder.RunServiceAsync(app => app.MapWebhooksApi());

/// <summary>The Webhooks host; public so that tests can start it.</summary>
public partial class Program;
