using Microsoft.Extensions.Options;
using Trunk.ServiceDefaults.Hosting;
using Trunk.ServiceDefaults.Settings;

namespace Trunk.CallHistory.Retention;

/// <summary><c>CallHistory:Retention</c>: how long a call is kept after it started (<see cref="CallHistoryPruner"/>).</summary>
public sealed class CallHistoryRetentionSettings
{
    public static readonly TimeSpan Min = TimeSpan.FromDays(1);
    public static readonly TimeSpan Max = TimeSpan.FromDays(3650);

    /// <summary>Calls that started longer ago are deleted with everything of theirs. One day to ten years; 90 days by default.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);
}

internal sealed class CallHistoryRetentionSettingsValidator : IValidateOptions<CallHistoryRetentionSettings>
{
    public ValidateOptionsResult Validate(string? name, CallHistoryRetentionSettings options)
    {
        var failures = new List<string>();
        SettingRules.Between(
            failures,
            $"{CallHistorySettings.Section}:{nameof(CallHistoryRetentionSettings.Retention)}",
            options.Retention,
            CallHistoryRetentionSettings.Min,
            CallHistoryRetentionSettings.Max);

        return SettingRules.Result(failures);
    }
}

/// <summary>Registration of the call history's retention.</summary>
public static class CallHistoryRetention
{
    public static WebApplicationBuilder AddCallHistoryRetention(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedSettings<CallHistoryRetentionSettings, CallHistoryRetentionSettingsValidator>()
            .Bind(builder.Configuration.GetSection(CallHistorySettings.Section));
        builder.Services.AddSingleton<CallHistoryPruner>();
        builder.Services.AddHostedService(services => services.GetRequiredService<CallHistoryPruner>());
        return builder;
    }
}
