using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trunk.ServiceDefaults.Security;

namespace Trunk.ServiceDefaults.Hosting;

/// <summary>Builds and runs a host, and turns a bad setting into one clear log line and a non-zero exit code.</summary>
public static partial class ServiceRunner
{
    /// <summary>Exit code for invalid settings (sysexits.h EX_CONFIG).</summary>
    public const int InvalidSettingsExitCode = 78;

    /// <summary>
    /// Builds the app, maps the health endpoints and the service's own (<paramref name="map"/>), and runs until
    /// SIGTERM or Ctrl-C. Settings are validated before the first endpoint is mapped. A service's own endpoints take
    /// one of <c>Api:Keys</c> (<see cref="ApiKeyMiddleware"/>); without keys they are open, and the start says so.
    /// </summary>
    public static async Task<int> RunServiceAsync(this WebApplicationBuilder builder, Action<WebApplication>? map = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        await using var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Trunk.Startup");
        try
        {
            app.Services.GetRequiredService<SettingsValidation>().ValidateAll();
            if (map is not null)
            {
                if (app.Services.GetRequiredService<IOptions<ApiSettings>>().Value.ConfiguredKeys.Count == 0)
                {
                    LogApiOpen(logger);
                }

                app.UseMiddleware<ApiKeyMiddleware>();
            }

            app.MapDefaultEndpoints();
            map?.Invoke(app);
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (OptionsValidationException e)
        {
            LogInvalidSettings(logger, string.Join(" ", e.Failures));
            return InvalidSettingsExitCode;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Api:Keys is empty: this service's HTTP API is open to anyone who reaches it. Set Api:Keys:0 (at least 16 characters; env Api__Keys__0) to require a key")]
    private static partial void LogApiOpen(ILogger logger);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Invalid settings, stopping: {Failures}")]
    private static partial void LogInvalidSettings(ILogger logger, string failures);
}
