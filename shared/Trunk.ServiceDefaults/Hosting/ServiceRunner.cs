using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Trunk.ServiceDefaults.Hosting;

/// <summary>Runs a host and turns a bad setting into one clear log line and a non-zero exit code.</summary>
public static partial class ServiceRunner
{
    /// <summary>Exit code for invalid settings (sysexits.h EX_CONFIG).</summary>
    public const int InvalidSettingsExitCode = 78;

    public static async Task<int> RunServiceAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Trunk.Startup");
        try
        {
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (OptionsValidationException e)
        {
            LogInvalidSettings(logger, string.Join(" ", e.Failures));
            return InvalidSettingsExitCode;
        }
        finally
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Invalid settings, stopping: {Failures}")]
    private static partial void LogInvalidSettings(ILogger logger, string failures);
}
