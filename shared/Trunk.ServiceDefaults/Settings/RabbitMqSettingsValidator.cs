using Microsoft.Extensions.Options;

namespace Trunk.ServiceDefaults.Settings;

internal sealed class RabbitMqSettingsValidator : IValidateOptions<RabbitMqSettings>
{
    public ValidateOptionsResult Validate(string? name, RabbitMqSettings options)
    {
        var failures = new List<string>();
        SettingRules.Required(failures, $"{RabbitMqSettings.Section}:Host", options.Host);
        SettingRules.Required(failures, $"{RabbitMqSettings.Section}:Username", options.Username);
        SettingRules.Required(failures, $"{RabbitMqSettings.Section}:Password", options.Password);
        SettingRules.Required(failures, $"{RabbitMqSettings.Section}:VirtualHost", options.VirtualHost);
        SettingRules.Port(failures, $"{RabbitMqSettings.Section}:Port", options.Port);
        SettingRules.Between(failures, $"{RabbitMqSettings.Section}:PrefetchCount", options.PrefetchCount, 1, 10_000);

        return SettingRules.Result(failures);
    }
}
