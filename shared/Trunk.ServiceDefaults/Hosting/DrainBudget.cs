using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Trunk.ServiceDefaults.Hosting;

public static class DrainBudgetExtensions
{
    /// <summary>
    /// Grows the host's shutdown budget by the drain that <typeparamref name="TSettings"/> sets, so that a stop lets the
    /// calls up end before the host gives up on its services. Bad settings (out of range, or not binding at all) add nothing
    /// here: the start reports them with the others (one line each, exit code 78), where reading them while the host is
    /// built failed it with a stack trace.
    /// </summary>
    public static IServiceCollection AddDrainToShutdown<TSettings>(this IServiceCollection services, Func<TSettings, TimeSpan> drain)
        where TSettings : class
    {
        services.AddOptions<HostOptions>().Configure<IOptions<TSettings>>((host, settings) => host.ShutdownTimeout += DrainOf(settings, drain));
        return services;
    }

    private static TimeSpan DrainOf<TSettings>(IOptions<TSettings> settings, Func<TSettings, TimeSpan> drain)
        where TSettings : class
    {
        try
        {
            return drain(settings.Value);
        }
        catch (Exception e) when (e is OptionsValidationException or InvalidOperationException)
        {
            return TimeSpan.Zero;
        }
    }
}
