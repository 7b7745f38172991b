using Trunk.Media;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("media");
builder.AddMedia();

return await builder.RunServiceAsync();

/// <summary>The Media host; public so that tests can start it.</summary>
public partial class Program;
