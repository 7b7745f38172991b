using System.Diagnostics;
using Trunk.Testing;

namespace Trunk.EndToEnd.Tests.Deployment;

/// <summary>docker-compose.yml is what users run: it must validate and hold the whole trunk.</summary>
public sealed class ComposeTests
{
    [Fact]
    public async Task The_compose_file_validates()
    {
        var (exitCode, output) = await DockerCompose("config", "-q");

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task The_compose_file_runs_the_five_services_with_their_dependencies_and_Jaeger()
    {
        var (exitCode, output) = await DockerCompose("config", "--services");

        Assert.Equal(0, exitCode);
        var services = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
            ["callhistory", "jaeger", "media", "policy", "postgres", "rabbitmq", "signaling", "transfer"],
            services.Order(StringComparer.Ordinal));
    }

    private static async Task<(int ExitCode, string Output)> DockerCompose(params string[] arguments)
    {
        var start = new ProcessStartInfo("docker-compose")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
