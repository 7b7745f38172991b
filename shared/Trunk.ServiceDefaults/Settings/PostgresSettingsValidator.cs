using Microsoft.Extensions.Options;
using Npgsql;

namespace Trunk.ServiceDefaults.Settings;

internal sealed class PostgresSettingsValidator : IValidateOptions<PostgresSettings>
{
    private const string Key = "ConnectionStrings:" + PostgresSettings.ConnectionStringName;

    public ValidateOptionsResult Validate(string? name, PostgresSettings options)
    {
        var failures = new List<string>();
        SettingRules.Required(failures, Key, options.ConnectionString);
        if (failures.Count == 0)
        {
            try
            {
                var parsed = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                if (string.IsNullOrWhiteSpace(parsed.Host))
                {
                    failures.Add($"{Key} has no Host.");
                }
            }
            catch (ArgumentException e)
            {
                failures.Add($"{Key} is not a valid PostgreSQL connection string: {e.Message}");
            }
        }

        return SettingRules.Result(failures);
    }
}
