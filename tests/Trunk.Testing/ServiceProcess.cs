using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Trunk.Testing;

/// <summary>
/// One service host running as a real process (<c>dotnet Trunk.X.dll</c>) on a free HTTP port, with its output
/// kept for the test's failure message. Stopped with SIGTERM, as Kubernetes and docker stop it.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(string service, Process process, Uri baseAddress)
    {
        Service = service;
        _process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Service { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>services/{service}</c> with the test servers' settings, overridden by <paramref name="settings"/> (a null value removes a setting).</summary>
    public static ServiceProcess Start(string service, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var port = FreePort.Tcp();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(RepositoryPaths.ServiceAssembly(service))!,
        };
        start.ArgumentList.Add(RepositoryPaths.ServiceAssembly(service));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (key, value) in TestInfrastructure.ServiceEnvironment)
        {
            start.Environment[key] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {service}.");
        var running = new ServiceProcess(service, process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, line) => running.Append(line.Data);
        process.ErrorDataReceived += (_, line) => running.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>Polls <c>/health/ready</c> until <paramref name="until"/> accepts the report or the time is up.</summary>
    public async Task<HealthReport> WaitForReadinessAsync(Func<HealthReport, bool> until, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        HealthReport? last = null;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            last = await TryGetReadinessAsync().ConfigureAwait(false);
            if (last is not null && until(last))
            {
                return last;
            }

            await Task.Delay(250).ConfigureAwait(false);
        }

        throw new TimeoutException(
            $"{Service} readiness never matched; last report: {JsonSerializer.Serialize(last)}; exited: {_process.HasExited}\n{Output}");
    }

    /// <summary>Sends SIGTERM and waits for the process to end; returns how long it took.</summary>
    public async Task<TimeSpan> StopAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync().ConfigureAwait(false);
            }

            using var cancel = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        }

        return watch.Elapsed;
    }

    /// <summary>Waits for the process to end by itself, e.g. after a bad setting.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private async Task<HealthReport?> TryGetReadinessAsync()
    {
        try
        {
            using var response = await Http.GetAsync(new Uri("/health/ready", UriKind.Relative)).ConfigureAwait(false);
            return await response.Content.ReadFromJsonAsync<HealthReport>(JsonSerializerOptions.Web).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            // A host still starting on a loaded machine can take longer than the client's timeout: not ready yet.
            return null;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
