using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Trunk.ServiceDefaults.Hosting;

/// <summary>
/// The settings types a host registered, validated together before anything else resolves them, so that
/// every bad setting is reported at once instead of surfacing as a stack trace from whichever service asks first.
/// </summary>
public sealed class SettingsValidation(IServiceProvider services, IEnumerable<SettingsRegistration> registrations)
{
    public void ValidateAll()
    {
        var failures = new List<string>();
        foreach (var registration in registrations)
        {
            try
            {
                registration.Resolve(services);
            }
            catch (OptionsValidationException e)
            {
                failures.AddRange(e.Failures);
            }
            catch (InvalidOperationException e) when (e.InnerException is not null)
            {
                // The binder's own failure, e.g. "Failed to convert configuration value 'abc' at 'Sip:Port' to type 'System.Int32'."
                failures.Add(e.Message);
            }
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(string.Empty, typeof(SettingsValidation), failures);
        }
    }
}

/// <summary>One settings type to validate at start; add with <see cref="SettingsRegistrationExtensions.AddValidatedSettings{TSettings}"/>.</summary>
public sealed record SettingsRegistration(Type SettingsType, Action<IServiceProvider> Resolve);

public static class SettingsRegistrationExtensions
{
    /// <summary>Binds <typeparamref name="TSettings"/>, validates it with <typeparamref name="TValidator"/> at start.</summary>
    public static OptionsBuilder<TSettings> AddValidatedSettings<TSettings, TValidator>(this IServiceCollection services)
        where TSettings : class
        where TValidator : class, IValidateOptions<TSettings>
    {
        services.AddSingleton<IValidateOptions<TSettings>, TValidator>();
        services.AddSingleton(new SettingsRegistration(
            typeof(TSettings),
            provider => _ = provider.GetRequiredService<IOptions<TSettings>>().Value));
        return services.AddOptions<TSettings>();
    }

    /// <summary>
    /// The settings of <paramref name="section"/> as a service's registration needs them (a queue prefix, a schema), before
    /// they are validated. A value that does not bind (not a number, say) gives the defaults here: the start reports it
    /// with the other bad settings (one line each, exit code 78) instead of the registration failing with a stack trace.
    /// </summary>
    public static TSettings PeekSettings<TSettings>(this IConfigurationSection section)
        where TSettings : class, new()
    {
        ArgumentNullException.ThrowIfNull(section);
        try
        {
            return section.Get<TSettings>() ?? new TSettings();
        }
        catch (InvalidOperationException)
        {
            return new TSettings();
        }
    }
}
