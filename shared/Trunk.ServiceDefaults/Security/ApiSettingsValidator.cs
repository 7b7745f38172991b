using Microsoft.Extensions.Options;
using Trunk.ServiceDefaults.Settings;

namespace Trunk.ServiceDefaults.Security;

internal sealed class ApiSettingsValidator : IValidateOptions<ApiSettings>
{
    public ValidateOptionsResult Validate(string? name, ApiSettings options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var key = options.Keys[i];
            if (key.Length is > 0 and < ApiSettings.MinKeyLength)
            {
                failures.Add($"{ApiSettings.Section}:Keys:{i} must be at least {ApiSettings.MinKeyLength} characters (was {key.Length}).");
            }
            else if (key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                failures.Add($"{ApiSettings.Section}:Keys:{i} must not contain spaces or control characters.");
            }
        }

        return SettingRules.Result(failures);
    }
}
